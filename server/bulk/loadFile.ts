import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Db } from '../db/client'
import { quoteIdentifier } from '../db/client'
import { IngestGate } from '../ingest/ingestGate'
import { layoutOf, readBankConfig, BANKS_DIR, type FileKind } from './bankConfig'
import { findLoadedFile, recordLoadedFile } from './fileLedger'
import { openFileSource, scanFile, type Encoding, type SourceChunk } from './fileSource'
import { applyReturns } from './applyReturns'
import { LoadError, yuanText } from './loadError'
import { dropTables, healFactRollups, moveRows, MoveError } from './moveRows'
import { collectRefusals, writeReport } from './refusals'
import type { ProgressEvent } from './progress'
import { mapHeader, payrollStageSql, returnStageSql, stageParams, structureOf } from './stageSql'

/**
 * `npm run load`: one bank file into the database, whole or not at all.
 *   1. The file's sha256 is looked up in bulk_file: a file loaded before stores nothing again.
 *   2. Its records go through ClickHouse's CSV input format into a staging table where SQL checks
 *      every field (stageSql.ts). Embedded, a UTF-8 CSV file up to a wave is read in place; others
 *      go chunk by chunk (cut at records, GBK decoded, Excel rows written as CSV). Then the
 *      set-wide checks: duplicates within the file, payments already stored (payroll) or unknown /
 *      not changeable (return).
 *   3. Refused rows (line, field, reason) are written to a report. With any refused row nothing
 *      is stored unless `acceptValid`.
 *   4. Payroll: valid rows go into a copy of payment_detail, whose part is attached to the facts;
 *      each rollup is then fed once by its view's SELECT over the copy (moveRows.ts).
 *      Return: statuses change in place (a mutation), the change is traced in payment_return and
 *      the rollups are rebuilt from the facts where they differ (the healer's check).
 *   5. The file is recorded in bulk_file.
 */

export interface LoadOptions {
  file: string
  bank: string
  kind: FileKind
  encoding?: Encoding
  acceptValid?: boolean
  /** where the refused rows go (default: beside the file, `<file>.refused.csv`) */
  reportPath?: string
  banksDir?: string
  /** the server's gate when loading inside the server; a CLI holds its own */
  gate?: IngestGate
  onProgress?: (event: ProgressEvent) => void
  /** chunk and wave sizes (defaults CHUNK_BYTES in fileSource.ts and WAVE_BYTES here): tests make them small */
  chunkBytes?: number
  waveBytes?: number
}

export type { Refusal } from './refusals'

export interface LoadResult {
  status: 'loaded' | 'duplicate' | 'refused'
  file: string
  contentHash: string
  batchId: string
  format: 'csv' | 'xlsx'
  encoding: Encoding
  rowsInFile: number
  rowsLoaded: number
  rowsRefused: number
  /** first refusals (all of them are in the report) */
  refusals: import('./refusals').Refusal[]
  reportPath: string | null
  /** payroll: amount loaded; return: amount of the payments whose status changed */
  amount: string
  /** return: payments whose status changed, by new status */
  changed?: Record<string, number>
  /** a load that had stopped half-way was completed */
  recovered?: boolean
  /** payroll: how the rows reached facts and rollups (moveRows.ts): the copy's part attached, or through the views */
  movedBy?: 'attach' | 'views'
  /** how ClickHouse read the records: the bank file itself, or chunks the loader cut from it (none for a duplicate) */
  readBy?: 'file' | 'chunks'
  ms: { read: number; check: number; move: number; total: number }
}

export { LoadError } from './loadError'

/**
 * Bytes of chunks staged per statement in the embedded engine. Each staging statement costs about
 * 140 ms beyond its rows (its plan has some 30 checks and lookup arrays of every village, town and
 * project), so few large statements: over one 1M-row file (115 MB, 14 chunks), 7 statements of 2
 * chunks took 2.2–2.4 s and 3.3–3.6 CPU s, one statement over all 14 took 1.3 s and 2.4 CPU s
 * (scratch, same rows, two rounds). ClickHouse reads a statement's files side by side. The bound
 * keeps the temporary copy of a very large file from growing past it.
 */
const WAVE_BYTES = 256 << 20

export async function loadFile(db: Db, options: LoadOptions): Promise<LoadResult> {
  const started = Date.now()
  const progress = options.onProgress ?? (() => {})
  const config = readBankConfig(options.bank, options.banksDir ?? BANKS_DIR)
  const layout = layoutOf(config, options.kind)
  const { contentHash, utf8 } = await scanFile(options.file)
  const batchId = `file:${contentHash.slice(0, 32)}`
  const source = await openFileSource(options.file, { encoding: options.encoding ?? config.encoding, chunkBytes: options.chunkBytes })
  const base = { file: options.file, contentHash, batchId, format: source.format, encoding: source.encoding }

  const before = await findLoadedFile(db, contentHash)
  if (before) {
    return { ...base, status: 'duplicate', rowsInFile: before.rowsInFile, rowsLoaded: 0, rowsRefused: 0, refusals: [], reportPath: null, amount: '0.00', ms: { read: 0, check: 0, move: 0, total: Date.now() - started } }
  }

  const prefix = `_bulk_${contentHash.slice(0, 16)}`
  const checked = `${prefix}_chk`
  const refused = `${prefix}_bad`
  const staged = [checked, refused]
  const gate = options.gate ?? new IngestGate()
  try {
    // 2. Read and check every record.
    const chunks = source.chunks()
    let next = await chunks.next() // reads the header first
    const columns = mapHeader(source.header, layout, options.kind)
    await createChecked(db, checked, options.kind)
    const params = { ...stageParams(layout, config.bank), batchId }
    let rowsInFile = 0
    let readBy: 'file' | 'chunks' = 'chunks'
    const tempDir = db.engine === 'chdb' ? fs.mkdtempSync(path.join(os.tmpdir(), 'ykt-bulk-')) : null
    const context: StageContext = { checked, kind: options.kind, columns, layout, excelSerials: source.format === 'xlsx', structure: structureOf(source.header), params, tempDir }
    const waveBytes = options.waveBytes ?? WAVE_BYTES
    try {
      if (tempDir && source.format === 'csv' && source.encoding === 'utf-8' && utf8 && source.totalBytes <= waveBytes) {
        // Embedded, a UTF-8 CSV file of one wave: ClickHouse reads the file itself (header skipped),
        // through a link of a name the loader chose. Cutting it into chunk files was a tenth of a
        // 1M-row load (scripts/bench/bulkStages.ts). A larger file still goes in waves, so the
        // progress bar moves while it is read.
        await chunks.return(undefined)
        const link = path.join(tempDir, 'w0-0.csv')
        fs.symlinkSync(path.resolve(options.file), link)
        await stageChunks(db, [{ records: 0, firstRecord: 0, bytesRead: source.totalBytes, file: link, withHeader: true }], context)
        rowsInFile = await countRows(db, `SELECT count() AS n FROM ${quoteIdentifier(checked)}`)
        progress({ phase: 'read', rows: rowsInFile, share: 1 })
        readBy = 'file'
      } else {
        // Embedded: chunks are staged a wave (up to waveBytes) at a time, one file each, so ClickHouse reads them side by side.
        let wave: WaveChunk[] = []
        let waveSize = 0
        const flush = async () => {
          if (wave.length === 0) return
          await stageChunks(db, wave, context)
          rowsInFile += wave.reduce((sum, chunk) => sum + chunk.records, 0)
          const last = wave[wave.length - 1]
          progress({ phase: 'read', rows: rowsInFile, share: last.bytesRead > 0 ? last.bytesRead / source.totalBytes : null })
          wave = []
          waveSize = 0
        }
        for (; !next.done; next = await chunks.next()) {
          const chunk = next.value
          // Embedded: the chunk goes to its temporary file at once, so a wave holds no bytes in memory.
          wave.push(tempDir ? spill(chunk, tempDir, wave[0]?.firstRecord ?? chunk.firstRecord) : chunk)
          waveSize += chunk.csv.length
          if (!tempDir || waveSize >= waveBytes) await flush()
        }
        await flush()
      }
    } finally {
      if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true })
    }
    const readMs = Date.now() - started
    progress({ phase: 'check', rows: rowsInFile, share: null })
    await collectRefusals(db, options.kind, checked, refused, batchId)
    const rowsRefused = await countRows(db, `SELECT uniqExact(line) AS n FROM ${quoteIdentifier(refused)}`)
    const rowsChecked = await countRows(db, `SELECT count() AS n FROM ${quoteIdentifier(checked)}`)
    const reportPath = rowsRefused > 0 ? options.reportPath ?? `${options.file}.refused.csv` : null
    const refusals = reportPath ? await writeReport(db, refused, reportPath) : []
    const checkMs = Date.now() - started - readMs
    const rowsValid = rowsChecked - rowsRefused
    const result = { ...base, rowsInFile: rowsChecked, rowsRefused, refusals, reportPath, readBy }
    if (rowsRefused > 0 && !options.acceptValid) {
      return { ...result, status: 'refused', rowsLoaded: 0, amount: '0.00', ms: { read: readMs, check: checkMs, move: 0, total: Date.now() - started } }
    }

    // 4. Move.
    progress({ phase: 'move', rows: rowsValid, share: null })
    const valid = `${quoteIdentifier(checked)} WHERE line NOT IN (SELECT line FROM ${quoteIdentifier(refused)})`
    let amount = '0.00'
    let changed: Record<string, number> | undefined
    let recovered = false
    let movedBy: LoadResult['movedBy']
    if (options.kind === 'payroll') {
      amount = yuanText(Number(await scalar(db, `SELECT toInt64(sum(amount_paid) * 100) AS n FROM ${valid}`)))
      try {
        staged.push(`${prefix}_facts`)
        const moved = await moveRows(db, gate, { validRows: valid, columns: FACT_COLUMNS, batchId, shadow: `${prefix}_facts` }, (done, total) => progress({ phase: 'move', rows: done, share: done / total }))
        movedBy = moved.way
        if (moved.resumed) {
          // An earlier run stored some months and stopped (before its ledger row): views may have missed its last block.
          recovered = true
          await healFactRollups(db, gate)
        }
      } catch (error) {
        if (!(error instanceof MoveError)) throw error
        throw new LoadError(`${error.message} (an earlier load of this file stopped mid-month): remove them with DELETE FROM payment_detail WHERE batch_id = '${batchId}', then load again`)
      }
    } else {
      const applied = await applyReturns(db, gate, { checked, refused, contentHash, prefix })
      staged.push(...applied.tables)
      amount = applied.amount
      changed = applied.changed
    }
    const loaded = options.kind === 'payroll' ? rowsValid : Object.values(changed ?? {}).reduce((a, b) => a + b, 0)
    await recordLoadedFile(db, { contentHash, fileName: path.basename(options.file), bank: options.bank, kind: options.kind, batchId, rowsInFile: rowsChecked, rowsLoaded: loaded, rowsRefused, amount })
    const total = Date.now() - started
    progress({ phase: 'done', rows: loaded, share: 1 })
    return { ...result, status: 'loaded', rowsLoaded: loaded, amount, changed, recovered: recovered || undefined, movedBy, ms: { read: readMs, check: checkMs, move: total - readMs - checkMs, total } }
  } finally {
    await dropTables(db, staged)
  }
}

/** payment_detail columns the loader writes (batch_id included; ingested_at and age_years are the table's own). */
export const FACT_COLUMNS = [
  'detail_id', 'batch_id', 'period', 'project_code', 'dept', 'paying_unit', 'county_code', 'town_code', 'village_code', 'household_id',
  'person_name', 'id_number', 'gender', 'birth_date', 'card_number', 'account_holder', 'holder_id_number', 'bank', 'phone', 'base_quantity',
  'standard', 'amount_due', 'amount_paid', 'pay_time', 'status', 'failure_reason', 'reissue_of', 'plan_id', 'voucher_id', 'indicator_doc',
  'fund_level', 'proxy_held', 'proxy_holder_id', 'proxy_holder_name', 'prereview_hits',
]

async function createChecked(db: Db, table: string, kind: FileKind): Promise<void> {
  const name = quoteIdentifier(table)
  await db.client.command({ query: `DROP TABLE IF EXISTS ${name}` })
  // Memory: the staging rows live only for the load; a load that dies is simply run again.
  const query = kind === 'payroll'
    ? `CREATE TABLE ${name} ENGINE = Memory AS
       SELECT CAST(0, 'UInt64') AS line, CAST([], 'Array(Tuple(String, String))') AS problems, ${FACT_COLUMNS.join(', ')} FROM payment_detail WHERE 0`
    : `CREATE TABLE ${name} (line UInt64, problems Array(Tuple(String, String)), detail_id String, status String, failure_reason String,
                             account_holder String, holder_id_number String) ENGINE = Memory`
  await db.client.command({ query })
}

interface StageContext {
  checked: string
  kind: FileKind
  columns: Map<string, number>
  layout: ReturnType<typeof layoutOf>
  excelSerials: boolean
  structure: string
  params: Record<string, unknown>
  tempDir: string | null
}

/**
 * A chunk of a wave: its bytes (server), or the temporary file they were written to (embedded), or
 * a link to the whole bank file, header included (`withHeader`; `records` then unknown, 0).
 */
type WaveChunk = Omit<SourceChunk, 'csv'> & { csv?: Buffer; file?: string; withHeader?: true }

/** Temporary files are named `w<wave's first record>-<chunk's first record>.csv`: a wave is one glob. */
const waveGlob = (tempDir: string, waveFirst: number) => path.join(tempDir, `w${waveFirst}-*.csv`)

function spill(chunk: SourceChunk, tempDir: string, waveFirst: number): WaveChunk {
  const file = path.join(tempDir, `w${waveFirst}-${chunk.firstRecord}.csv`)
  fs.writeFileSync(file, chunk.csv)
  return { records: chunk.records, firstRecord: chunk.firstRecord, bytesRead: chunk.bytesRead, file }
}

/**
 * Chunks through ClickHouse's CSV reader. Embedded: each chunk was written to a temporary file named
 * after its first record and the wave is read with one file() glob (chDB has no request body for
 * input()); a record's line is its file's first record + its row number there + 2 (header = line 1).
 * Server: one chunk is the body of an INSERT … SELECT … FROM input(), streamed over HTTP.
 * Lines count records: a quoted field holding a line break does not shift later lines.
 */
async function stageChunks(db: Db, chunks: WaveChunk[], context: StageContext): Promise<void> {
  const table = quoteIdentifier(context.checked)
  // The structure is c0 String, c1 String, …: built from column positions, never from header text.
  const structure = `'${context.structure}'`
  const build = (source: { from: string; line: string }) =>
    context.kind === 'payroll'
      ? payrollStageSql(table, context.columns, context.layout, context.excelSerials, source)
      : returnStageSql(table, context.columns, source)
  const settings = 'SETTINGS input_format_csv_allow_variable_number_of_columns = 0, format_csv_allow_single_quotes = 0, input_format_csv_trim_whitespaces = 0, input_format_csv_skip_trailing_empty_lines = 1'
  if (context.tempDir) {
    const glob = waveGlob(context.tempDir, chunks[0].firstRecord)
    try {
      if (!/^[\w/.*-]+$/.test(glob)) throw new LoadError(`temporary directory ${context.tempDir} has characters the loader will not put into SQL`)
      const line = `toUInt64(extract(_file, '-(\\\\d+)\\\\.csv$')) + _row_number + 2`
      // The whole file: its header is skipped, not read (columns are matched by position, mapHeader).
      const format = chunks[0].withHeader ? "'CSVWithNames'" : "'CSV'"
      const skipHeader = chunks[0].withHeader ? ', input_format_with_names_use_header = 0' : ''
      await db.client.command({ query: `${build({ from: `file('${glob}', ${format}, ${structure})`, line })} ${settings}${skipHeader}`, query_params: context.params })
    } catch (error) {
      throw unreadable(error, chunks)
    } finally {
      for (const chunk of chunks) if (chunk.file) fs.rmSync(chunk.file, { force: true })
    }
  } else {
    for (const chunk of chunks) {
      await db.client
        .exec({
          query: `${build({ from: `input(${structure})`, line: '{firstLine:UInt64} + rowNumberInAllBlocks()' })} ${settings} FORMAT CSV`,
          query_params: { ...context.params, firstLine: chunk.firstRecord + 2 },
          values: chunk.csv! as unknown as never,
        })
        .catch((error: unknown) => {
          throw unreadable(error, [chunk])
        })
    }
  }
}

/**
 * A chunk ClickHouse's CSV reader could not read (a row with more or fewer fields than the header,
 * a stray quote, a blank line inside the file): the whole file is refused, naming where. ClickHouse
 * counts rows from 1 within the chunk file it read; with one chunk per statement that maps to a line.
 */
function unreadable(error: unknown, chunks: WaveChunk[]): Error {
  const message = error instanceof Error ? error.message : String(error)
  if (!/CANNOT_PARSE|Cannot parse|INCORRECT_DATA|expected/i.test(message)) return error instanceof Error ? error : new Error(message)
  const row = /\(at row (\d+)\)/.exec(message)?.[1]
  const file = /-(\d+)\.csv\)?/.exec(/in file\/uri ([^)]*)/.exec(message)?.[1] ?? '')?.[1]
  const first = file !== undefined ? Number(file) : chunks.length === 1 ? chunks[0].firstRecord : null
  const where = row && first !== null
    ? `line ${first + Number(row) + 1}`
    : chunks[0].withHeader ? 'the file' : `lines ${chunks[0].firstRecord + 2}–${chunks[chunks.length - 1].firstRecord + chunks[chunks.length - 1].records + 1}`
  const reason = /ERROR: ([^\n]*)/.exec(message)?.[1] ?? message.split('\n')[0].replace(/^.*?Exception: /, '').slice(0, 200)
  return new LoadError(`${where}: not readable as CSV (${reason}); nothing stored`)
}


async function countRows(db: Db, query: string, params: Record<string, unknown> = {}): Promise<number> {
  return Number(await scalar(db, query, params))
}

async function scalar(db: Db, query: string, params: Record<string, unknown> = {}): Promise<string> {
  const result = await db.client.query({ query, query_params: params, format: 'JSONEachRow' })
  const [row] = await result.json<{ n: string | number | null }>()
  return String(row?.n ?? '0')
}
