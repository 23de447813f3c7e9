import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { loadConfig } from '../server/config'
import { migrate } from '../server/db/migrate'
import { exitWith, openToolDb, parseOrUsage, UsageError } from './cli'
import { BANKS_DIR, BankConfigError } from '../server/bulk/bankConfig'
import { FileSourceError } from '../server/bulk/fileSource'
import { LoadError, loadFile, type LoadResult } from '../server/bulk/loadFile'
import { progressPrinter } from '../server/bulk/progress'
import { FileLayoutError } from '../server/bulk/stageSql'
import { XlsxError } from '../server/bulk/xlsx'

/**
 * npm run load -- <file> [--bank <name>] [--kind payroll|return] [--encoding utf-8|gbk] [--accept-valid] [--report <path>]
 *
 * Loads one bank file (CSV in UTF-8 or GBK, or .xlsx) into the database the server uses (DATA_DIR,
 * or CLICKHOUSE_URL). When a running server owns DATA_DIR, the file is sent to that server
 * (POST /api/bulk/file with INGEST_TOKEN, at LOAD_SERVER_URL or http://127.0.0.1:PORT), which loads
 * it the same way. Exit codes: 0 loaded or already loaded, 1 unexpected error, 2 usage or file
 * layout, 3 data directory owned by a server that could not be reached, 4 rows refused (nothing stored).
 */
const USAGE = `usage: npm run load -- <file> [--bank <name>] [--kind payroll|return] [--encoding utf-8|gbk] [--accept-valid] [--report <path>]
  --bank          column mapping in config/banks/<name>.json (optional when there is only one)
  --kind          payroll (发放明细, default) or return (回盘文件: results of stored payments)
  --encoding      of a CSV file; detected when omitted (UTF-8 unless the bytes are not)
  --accept-valid  store the valid rows even when some are refused (default: all or nothing)
  --report        where refused rows go (default <file>.refused.csv)`


interface Args {
  file: string
  bank: string
  kind: 'payroll' | 'return'
  encoding?: 'utf-8' | 'gbk'
  acceptValid: boolean
  report?: string
}

export function parseLoadArgs(argv: string[]): Args {
  const positional: string[] = []
  const flags: Record<string, string | true> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--accept-valid') flags['accept-valid'] = true
    else if (arg.startsWith('--')) {
      const value = argv[i + 1]
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`)
      flags[arg.slice(2)] = value
      i++
    } else positional.push(arg)
  }
  const unknown = Object.keys(flags).filter((flag) => !['bank', 'kind', 'encoding', 'accept-valid', 'report'].includes(flag))
  if (unknown.length > 0) throw new UsageError(`unknown option --${unknown[0]}`)
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'no file given' : 'one file at a time')
  const kind = (flags.kind ?? 'payroll') as string
  if (kind !== 'payroll' && kind !== 'return') throw new UsageError('--kind must be payroll or return')
  const encoding = flags.encoding as string | undefined
  if (encoding !== undefined && !['utf-8', 'utf8', 'gbk'].includes(encoding.toLowerCase())) throw new UsageError('--encoding must be utf-8 or gbk')
  let bank = flags.bank as string | undefined
  if (!bank) {
    const banks = fs.existsSync(BANKS_DIR) ? fs.readdirSync(BANKS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)) : []
    if (banks.length !== 1) throw new UsageError(`--bank is needed: one of ${banks.join(', ') || '(none in config/banks)'}`)
    bank = banks[0]
  }
  return {
    file: positional[0],
    bank,
    kind,
    encoding: encoding === undefined ? undefined : encoding.toLowerCase() === 'gbk' ? 'gbk' : 'utf-8',
    acceptValid: flags['accept-valid'] === true,
    report: flags.report as string | undefined,
  }
}

function describe(result: LoadResult): string[] {
  const lines: string[] = []
  const where = `${result.file} (${result.format}${result.format === 'csv' ? `, ${result.encoding}` : ''}, sha256 ${result.contentHash.slice(0, 12)}…)`
  if (result.status === 'duplicate') return [`${where}: loaded before (same content); nothing stored`]
  for (const refusal of result.refusals) lines.push(`  line ${refusal.line}, ${refusal.field}: ${refusal.reason}`)
  if (result.rowsRefused > result.refusals.length) lines.push(`  … (all in the report)`)
  if (result.reportPath) lines.unshift(`${result.rowsRefused} of ${result.rowsInFile} rows refused; report: ${result.reportPath}`)
  else if (result.rowsRefused > 0) lines.unshift(`${result.rowsRefused} of ${result.rowsInFile} rows refused (the first ${result.refusals.length} below)`)
  const seconds = (result.ms.total / 1000).toFixed(1)
  const rate = Math.round(result.rowsInFile / Math.max(result.ms.total / 1000, 0.001)).toLocaleString('en')
  if (result.status === 'refused') lines.push(`${where}: nothing stored (all or nothing; --accept-valid stores the ${result.rowsInFile - result.rowsRefused} valid rows)`)
  else if (result.changed) lines.push(`${where}: ${result.rowsLoaded} payments changed status (${Object.entries(result.changed).map(([s, n]) => `${s} ${n}`).join(', ') || 'none'}), ${result.amount} 元; rollups rebuilt where they differed; ${seconds} s`)
  else lines.push(`${where}: ${result.rowsLoaded.toLocaleString('en')} payments stored, ${result.amount} 元, batch ${result.batchId}${result.recovered ? ' (completed an earlier load that had stopped)' : ''}; ${seconds} s, ${rate} rows/s (read ${result.ms.read} ms, check ${result.ms.check} ms, move ${result.ms.move} ms)`)
  return lines
}

/** The file to POST /api/bulk/file of the server that owns the data directory, with upload progress. */
async function sendToServer(server: string, token: string, args: Args): Promise<LoadResult> {
  const total = fs.statSync(args.file).size
  const progress = progressPrinter()
  let sent = 0
  const body = Readable.toWeb(
    fs.createReadStream(args.file).on('data', (chunk) => {
      sent += chunk.length
      progress({ phase: 'read', rows: 0, share: sent / total })
    }),
  ) as ReadableStream
  const query = new URLSearchParams({ bank: args.bank, kind: args.kind, name: path.basename(args.file), ...(args.acceptValid ? { acceptValid: '1' } : {}) })
  console.error(`a server owns the data directory: sending ${args.file} to ${server}`)
  const response = await fetch(`${server}/api/bulk/file?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(total) },
    body,
    duplex: 'half',
  } as RequestInit)
  const answer = (await response.json().catch(() => ({}))) as Partial<LoadResult> & { error?: string }
  if (response.status !== 200 && !(response.status === 400 && answer.status === 'refused')) throw new Error(`HTTP ${response.status}: ${answer.error ?? 'no answer'}`)
  progress({ phase: 'done', rows: answer.rowsLoaded ?? 0, share: 1 })
  return { ...(answer as LoadResult), file: args.file, reportPath: null }
}

async function main(): Promise<number> {
  const args = parseOrUsage(() => {
    const parsed = parseLoadArgs(process.argv.slice(2))
    if (!fs.existsSync(parsed.file)) throw new UsageError(`no such file: ${parsed.file}`)
    return parsed
  }, USAGE)
  if (args === 2) return 2
  const config = loadConfig()
  const opened = await openToolDb(config)
  if ('ownedElsewhere' in opened) {
    // chDB lets one process use a data directory: the server that owns it loads the file instead.
    const server = process.env.LOAD_SERVER_URL ?? `http://127.0.0.1:${config.PORT}`
    const sent = await sendToServer(server, config.INGEST_TOKEN, args).catch((failure: unknown) => failure as Error)
    if (!(sent instanceof Error)) {
      for (const line of describe(sent)) console.log(line)
      return sent.status === 'refused' ? 4 : 0
    }
    console.error(`cannot open the database in ${config.dataDir}: a running server owns it (the embedded engine lets one process use a data directory),`)
    console.error(`and sending the file to it at ${server} failed: ${sent.message}`)
    console.error('Start that server (PORT, INGEST_TOKEN; LOAD_SERVER_URL for another address), load while no server runs, or run both against a ClickHouse server (CLICKHOUSE_URL).')
    console.error(`(${opened.ownedElsewhere.message})`)
    return 3
  }
  const db = opened.db
  try {
    await migrate(db)
    const result = await loadFile(db, {
      file: args.file, bank: args.bank, kind: args.kind, encoding: args.encoding, acceptValid: args.acceptValid, reportPath: args.report,
      onProgress: progressPrinter(),
    })
    for (const line of describe(result)) console.log(line)
    return result.status === 'refused' ? 4 : 0
  } catch (error) {
    if (error instanceof BankConfigError || error instanceof FileLayoutError || error instanceof FileSourceError || error instanceof XlsxError || error instanceof LoadError) {
      console.error(`${args.file}: ${error.message}`)
      return 2
    }
    throw error
  } finally {
    await db.close()
  }
}

if (process.argv[1] && /scripts[\\/]load\.ts$/.test(process.argv[1])) exitWith(main)
