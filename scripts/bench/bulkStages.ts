import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { FACT_COLUMNS, loadFile } from '../../server/bulk/loadFile'
import { hashFile, openFileSource } from '../../server/bulk/fileSource'
import { openDb, type Db } from '../../server/db/client'
import { migrate } from '../../server/db/migrate'
import { IngestGate } from '../../server/ingest/ingestGate'
import { discoverRollups } from '../../server/rollups/discover'
import { checkRollup } from '../../server/rollups/heal'
import { writePayroll } from './payrollFile'

/**
 * Where a bulk load's time goes, stage by stage, and what the move into facts + rollups costs in
 * each way it could be done, side by side in one process and one run:
 *   npx tsx scripts/bench/bulkStages.ts <rows> <work dir>
 * Every figure is wall ms and CPU seconds of this process (chDB runs in it): on a shared machine
 * the CPU seconds are the figure other processes' load does not inflate.
 * Move variants (each stores the same rows again under ids of its own, background merges stopped
 * so one variant's merges do not bill the next):
 *   views         INSERT … SELECT into payment_detail, its views fed as they are today
 *   views+blocks  the same with max_block_size / min_insert_block_size_* at 1M rows (SETTINGS clause)
 *   views+parallel the same with parallel_view_processing = 1
 *   attach        facts into a copy without views, each rollup filled once from that copy by its
 *                 view's own SELECT, the copy's part attached to payment_detail (fires no view)
 * At the end every rollup is compared with the facts (the healer's check): any difference fails the run.
 */
const rows = Number(process.argv[2] ?? 1_000_000)
const work = process.argv[3] ?? '/tmp/ykt-bulk-stages'
/** `alternate`: instead of the variant list, rounds of views / attach one after the other (order effects show). */
const alternate = process.argv[4] === 'alternate'

interface Stage { wallMs: number; cpuS: number }
const stages: Record<string, Stage> = {}

async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const wall = Date.now()
  const cpu = process.cpuUsage()
  const result = await run()
  const used = process.cpuUsage(cpu)
  stages[name] = { wallMs: Date.now() - wall, cpuS: Number(((used.user + used.system) / 1e6).toFixed(2)) }
  process.stderr.write(`stage ${name}: ${stages[name].wallMs} ms, ${stages[name].cpuS} CPU s\n`)
  return result
}

async function command(db: Db, query: string, params: Record<string, unknown> = {}): Promise<void> {
  await db.client.command({ query, query_params: params })
}

async function main() {
  fs.rmSync(work, { recursive: true, force: true })
  fs.mkdirSync(work, { recursive: true })
  const file = path.join(work, `payroll-${rows}.csv`)
  writePayroll(file, rows)
  const db = await openDb({ database: 'ykt', dataDir: path.join(work, 'data') })
  try {
    await migrate(db)
    // Pieces of the loader's reading stage, alone.
    await timed('sha256 of the file', () => hashFile(file))
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'p18-stages-'))
    await timed('JS: cut into UTF-8 chunks + write temp files', async () => {
      const source = await openFileSource(file, { encoding: 'utf-8' })
      for await (const chunk of source.chunks()) fs.writeFileSync(path.join(tempDir, `c-${chunk.firstRecord}.csv`), chunk.csv)
    })
    const structure = Array.from({ length: 13 }, (_, i) => `c${i} String`).join(', ')
    await command(db, `CREATE TABLE raw_csv (${structure}) ENGINE = Memory`)
    await timed('chDB: CSV parse only into Memory', () =>
      command(db, `INSERT INTO raw_csv SELECT * FROM file('${tempDir}/c-*.csv', 'CSV', '${structure}')`))
    fs.rmSync(tempDir, { recursive: true, force: true })
    await command(db, 'DROP TABLE raw_csv')

    // The loader itself, its phases timed from its progress events.
    let phase = 'read'
    let mark = { wall: Date.now(), cpu: process.cpuUsage() }
    const close = (name: string) => {
      const used = process.cpuUsage(mark.cpu)
      stages[`loader: ${name}`] = { wallMs: Date.now() - mark.wall, cpuS: Number(((used.user + used.system) / 1e6).toFixed(2)) }
      mark = { wall: Date.now(), cpu: process.cpuUsage() }
    }
    const result = await loadFile(db, {
      file, bank: 'nongshang', kind: 'payroll', encoding: 'utf-8',
      onProgress: (event) => {
        if (event.phase === phase) return
        close(phase === 'read' ? 'hash + read + check fields (SQL)' : phase === 'check' ? 'file-wide checks + refusal report' : 'move into facts + views + ledger')
        phase = event.phase
      },
    })
    if (result.status !== 'loaded' || result.rowsLoaded !== rows) throw new Error(`load did not store every row: ${result.status}, ${result.rowsLoaded}`)
    stages['loader: total'] = { wallMs: result.ms.total, cpuS: Object.entries(stages).filter(([k]) => k.startsWith('loader:')).reduce((s, [, v]) => s + v.cpuS, 0) }
    await timed('duplicate file (ledger answer)', () => loadFile(db, { file, bank: 'nongshang', kind: 'payroll', encoding: 'utf-8' }))

    // Move variants over the same staged rows.
    await command(db, `CREATE TABLE stg ENGINE = Memory AS SELECT ${FACT_COLUMNS.join(', ')} FROM payment_detail WHERE batch_id = {b:String}`, { b: result.batchId })
    await command(db, 'SYSTEM STOP MERGES')
    const select = (tag: string) => FACT_COLUMNS.map((c) => (c === 'detail_id' ? `concat('${tag}-', detail_id)` : c === 'batch_id' ? `'${tag}'` : c)).join(', ')
    const insertViews = (tag: string, settings: string) =>
      command(db, `INSERT INTO payment_detail (${FACT_COLUMNS.join(', ')}) SELECT ${select(tag)} FROM stg ${settings}`)
    const BIG = 'max_block_size = 1048576, min_insert_block_size_rows = 1048576, min_insert_block_size_bytes = 4294967296'
    const rollups = (await discoverRollups(db)).filter((r) => r.sources.includes('payment_detail'))
    const perView: Record<string, number> = {}
    const attach = async (tag: string) => {
      await command(db, 'DROP TABLE IF EXISTS shadow')
      await command(db, 'CREATE TABLE shadow AS payment_detail')
      await timed(`move: attach ${tag} — facts into a copy without views`, () =>
        command(db, `INSERT INTO shadow (${FACT_COLUMNS.join(', ')}) SELECT ${select(tag)} FROM stg SETTINGS ${BIG}`))
      // Each view's SELECT over the copy, timed alone: what each rollup costs per load.
      await timed(`move: attach ${tag} — rollups from the copy (one SELECT per view)`, async () => {
        for (const rollup of rollups) {
          for (const view of rollup.views) {
            const columns = view.columns.join(', ')
            const from = view.select.replace(/\bFROM\s+(`?\w+`?\.)?`?payment_detail`?/i, 'FROM shadow')
            if (from === view.select) throw new Error(`view ${view.name} does not read payment_detail by name`)
            const cpu = process.cpuUsage()
            await command(db, `INSERT INTO ${rollup.table} (${columns}) SELECT ${columns} FROM (${from})`)
            const used = process.cpuUsage(cpu)
            perView[view.name] = Number(((used.user + used.system) / 1e6).toFixed(2))
          }
        }
      })
      await timed(`move: attach ${tag} — ATTACH PARTITION FROM the copy`, () => command(db, 'ALTER TABLE payment_detail ATTACH PARTITION tuple() FROM shadow'))
    }
    if (alternate) {
      for (const round of [1, 2]) {
        await timed(`move: views round ${round}`, () => insertViews(`v${round}`, ''))
        await attach(`a${round}`)
      }
    } else {
      await timed('move: views (as today)', () => insertViews('v0', ''))
      await timed('move: views + 1M-row blocks', () => insertViews('v1', `SETTINGS ${BIG}`))
      await timed('move: views + parallel_view_processing', () => insertViews('v2', 'SETTINGS parallel_view_processing = 1'))
      await timed('move: views + both', () => insertViews('v3', `SETTINGS ${BIG}, parallel_view_processing = 1`))
      await attach('a')
    }
    await command(db, 'SYSTEM START MERGES')

    // Every rollup must still equal its views over the facts (6 × the rows now).
    const mismatched: string[] = []
    for (const rollup of rollups) {
      const verdict = await checkRollup(db, new IngestGate(), rollup, { repair: false })
      mismatched.push(...verdict.mismatched.map((p) => `${rollup.table}:${p}`))
    }
    const facts = await (await db.client.query({ query: 'SELECT count() AS n FROM payment_detail', format: 'JSONEachRow' })).json<{ n: string }>()
    console.log(JSON.stringify({ rows, fileMB: Math.round(fs.statSync(file).size / 1e6), views: rollups.reduce((n, r) => n + r.views.length, 0), facts: Number(facts[0].n), mismatched, stages, perViewCpuS: perView, loadavg: os.loadavg().map((l) => l.toFixed(1)) }))
    if (mismatched.length > 0) process.exitCode = 1
  } finally {
    await db.close()
    fs.rmSync(work, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message.split('\n')[0].slice(0, 400) : String(error))
  process.exit(1)
})
