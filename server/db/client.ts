import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client'
import { drainPending } from 'chdb'
import { createChdbConnection } from 'chdb/connection'
import { firstLine } from '../errorLine'
import { traced } from './engineTrace'
import { EngineLane, laneClient } from './lane'

/**
 * The one place that creates a ClickHouse client. Everything else receives a `Db` and never imports
 * `@clickhouse/client` or `chdb` itself.
 *
 * Two engines, one API: without a URL the engine is chDB in this process (data in `dataDir`); with
 * a URL it is a ClickHouse server over HTTP. chDB binds one data directory per process, so exactly
 * one `Db` per process may use the embedded engine.
 */
export type Engine = 'chdb' | 'clickhouse'

export interface Db {
  client: ClickHouseClient
  engine: Engine
  database: string
  /**
   * One INSERT of a body already in `format` (bytes, never a V8 string): chDB takes the Buffer
   * zero-copy and parses it on its own threads; a ClickHouse server receives it as the request body.
   * `settings` go into the statement's own SETTINGS clause (never session settings, see README).
   */
  insertBody(insert: BodyInsert): Promise<void>
  close(): Promise<void>
  /**
   * The same database for background work (the rule engine) that must never hold up the wall:
   * on chDB, low priority on the one engine lane (lane.ts); over HTTP, a connection pool of its
   * own. Absent on a Db made by hand: use `backgroundDb(db)`.
   */
  background?: Db
  /** The embedded engine's lane (chDB only): its figures go to /api/health. */
  lane?: EngineLane
}

/** Where background work queries: `db.background`, or `db` itself when it has none. */
export function backgroundDb(db: Db): Db {
  return db.background ?? db
}

/** Formats a body may be sent in: chDB's raw insert takes the text formats; RowBinary goes through a file (rowBinaryInsert). */
export type BodyFormat = 'JSONEachRow' | 'JSONCompactEachRow' | 'TSV' | 'CSV' | 'RowBinary'

export interface BodyInsert {
  table: string
  /** the body's columns in order; [] = all of the table's, in its order */
  columns: readonly string[]
  format: BodyFormat
  /** RowBinary: `name Type, …` of `columns` (chDB reads the body through file(), which needs them) */
  structure?: string
  /** The rows; a list is written as one body, its pieces one after another (a group of batches). */
  body: Buffer | readonly Buffer[]
  settings: Record<string, number>
}

export interface DbOptions {
  url?: string
  user?: string
  password?: string
  database: string
  dataDir: string
}

export class DbStartError extends Error {}

export async function openDb(options: DbOptions): Promise<Db> {
  const engine: Engine = options.url ? 'clickhouse' : 'chdb'
  const database = quoteIdentifier(options.database)
  let client: ClickHouseClient | undefined
  let rawInsert: ((insert: BodyInsert) => Promise<void>) | undefined
  let removeFiles = () => {}
  try {
    if (engine === 'clickhouse') {
      // Over HTTP the database is named on every request, so it must exist before that client runs.
      const bootstrap = httpClient(options, 'default')
      try {
        await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` })
      } finally {
        await bootstrap.close()
      }
      client = httpClient(options, options.database)
      await client.ping().then((result) => { if (!result.success) throw result.error })
    } else {
      const embedded = embeddedClient(options.dataDir)
      client = embedded.client
      rawInsert = embedded.rawInsert
      removeFiles = embedded.removeFiles
      await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` })
      // chDB keeps one session per process, and USE holds for every later query on it.
      await client.command({ query: `USE ${database}` })
    }
  } catch (error) {
    await client?.close().catch(() => {})
    if (error instanceof DbStartError) throw error
    const where = engine === 'clickhouse' ? `ClickHouse at ${redactUrl(options.url!)}` : `chDB in ${options.dataDir}`
    throw new DbStartError(`cannot open ${where}: ${firstLine(error, 300)}`)
  }
  const opened = client
  if (engine === 'clickhouse') {
    // A server runs queries side by side: background work gets a small pool of its own, so it
    // never takes a socket the wall's reads wait for.
    const own = httpClient(options, options.database, 2)
    const background: Db = { client: own, engine, database: options.database, insertBody: (insert) => httpInsertBody(own, insert), close: () => own.close() }
    return {
      client: opened,
      engine,
      database: options.database,
      insertBody: (insert) => httpInsertBody(opened, insert),
      background,
      close: async () => {
        await own.close()
        await opened.close()
      },
    }
  }
  // chDB: raw inserts take the lane too, so the rules' low-priority queries wait for them as for the hub's.
  const lane = new EngineLane()
  const raw = rawInsert!
  const background: Db = { client: laneClient(opened, lane, 'low'), engine, database: options.database, insertBody: (insert) => lane.low(() => traced('low', `INSERT INTO ${insert.table} FORMAT ${insert.format}`, () => raw(insert))), close: async () => {}, lane }
  const close = async () => {
    await opened.close()
    // close() returns before the engine lets go when work is still in flight on it (a background
    // query, an aborted one): a process that exits then ended with SIGSEGV, or hung, in the engine's
    // exit handlers. Waiting for it makes `npm start` stopped by SIGTERM end with 0.
    await drainPending()
    removeFiles()
  }
  return { client: laneClient(opened, lane, 'high'), engine, database: options.database, insertBody: (insert) => lane.high(() => traced('high', `INSERT INTO ${insert.table} FORMAT ${insert.format}`, () => raw(insert))), background, lane, close }
}

async function httpInsertBody(client: ClickHouseClient, insert: BodyInsert): Promise<void> {
  const result = await client.exec({ query: insertStatement(insert), values: Readable.from(piecesOf(insert.body)) })
  // The INSERT has no output, but the response stream must be consumed to free the connection.
  await finished(result.stream.resume())
}

function insertStatement({ table, columns, format, settings }: BodyInsert): string {
  const clause = Object.entries(settings).map(([name, value]) => `${quoteIdentifier(name)} = ${Number(value)}`).join(', ')
  const list = columns.length ? ` (${columns.map(quoteIdentifier).join(', ')})` : ''
  return `INSERT INTO ${quoteIdentifier(table)}${list}${clause ? ` SETTINGS ${clause}` : ''} FORMAT ${format}`
}

function httpClient(options: DbOptions, database: string, maxOpenConnections?: number): ClickHouseClient {
  return createClient({
    url: options.url,
    ...(maxOpenConnections ? { max_open_connections: maxOpenConnections } : {}),
    database,
    username: options.user,
    password: options.password,
    request_timeout: 30_000,
    // Failures surface as errors to the caller, which reports them in one line; the client's own
    // logger would print stacks (and query parameters) to the console.
    log: { level: ClickHouseLogLevel.OFF },
    // Per-query settings go in each query's own SETTINGS clause, never here (see embeddedClient).
  })
}

interface ChdbRawInsert {
  rawInsert(params: { table: string; columns?: readonly string[]; format: BodyFormat; values: Buffer; settings: Record<string, number> }): Promise<unknown>
}

function embeddedClient(dataDir: string): { client: ClickHouseClient; rawInsert: (insert: BodyInsert) => Promise<void>; removeFiles: () => void } {
  try {
    fs.mkdirSync(dataDir, { recursive: true })
    fs.accessSync(dataDir, fs.constants.R_OK | fs.constants.W_OK)
  } catch (error) {
    throw new DbStartError(`DATA_DIR ${dataDir} is not a readable, writable directory: ${firstLine(error, 300)}`)
  }
  // chdb/connection implements @clickhouse/client-common's Connection, but it is typed against its
  // own copy of that package; the shapes agree at run time (chdb's parity suite checks it). This is
  // the single place where the two declarations meet.
  const chdb = createChdbConnection({ path: path.resolve(dataDir) })
  const connection = chdb as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection']
  // The same session as the client's queries (so USE <database> holds); chDB puts `settings` into
  // the statement's own SETTINGS clause.
  const raw = (chdb as unknown as { chdb: ChdbRawInsert }).chdb
  const client = createClient({ connection, log: { level: ClickHouseLogLevel.OFF } })
  const files = new RowBinaryFiles()
  const rawInsert = async (insert: BodyInsert) => {
    if (insert.format === 'RowBinary') return rowBinaryInsert(client, files, insert)
    const { table, columns, format, body, settings } = insert
    await raw.rawInsert({ table, columns: columns.length ? columns : undefined, format, values: Buffer.isBuffer(body) ? body : Buffer.concat(body), settings })
  }
  return { client, rawInsert, removeFiles: () => files.remove() }
}

/**
 * chdb-node's insert takes text formats only, so a RowBinary body is handed over as a file: written
 * to a directory of this process and read by the same INSERT through file(). The engine read 10k
 * payments in RowBinary in about a third of the time it took for the same rows as
 * JSONCompactEachRow (server/ingest/rowBinary.ts). Settings go in the statement's own SETTINGS
 * clause, as for the others.
 */
const SAFE_PATH = /^[A-Za-z0-9/_.-]+$/
const SAFE_STRUCTURE = /^[A-Za-z0-9_ ,()'=/\u4e00-\u9fff-]+$/

/** Directories left by processes that are gone (killed mid-insert, a body may still be in memory there). */
function removeOrphans(base: string): void {
  for (const name of fs.readdirSync(base)) {
    const pid = /^ykt-rowbinary-(\d+)-/.exec(name)?.[1]
    if (!pid || Number(pid) === process.pid) continue
    try {
      process.kill(Number(pid), 0)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(base, name), { recursive: true, force: true })
    }
  }
}

class RowBinaryFiles {
  private dir: string | undefined
  private count = 0

  next(): string {
    if (!this.dir) {
      // The system's temporary directory, not /dev/shm: a container's /dev/shm is often 64 MB, less
      // than four large batches at once. A body written and read within one INSERT stays in the page
      // cache either way (the alternating floods measured the same; see the ingest README).
      const base = os.tmpdir()
      removeOrphans(base)
      this.dir = fs.mkdtempSync(path.join(base, `ykt-rowbinary-${process.pid}-`))
    }
    return path.join(this.dir, `${++this.count}.bin`)
  }

  remove(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true })
    this.dir = undefined
  }
}

async function rowBinaryInsert(client: ClickHouseClient, files: RowBinaryFiles, { table, columns, structure, body, settings }: BodyInsert): Promise<void> {
  if (!structure || !SAFE_STRUCTURE.test(structure)) throw new Error(`RowBinary insert into ${table} needs a structure of names and types`)
  if (!columns.length) throw new Error(`RowBinary insert into ${table} needs its column list`)
  const file = files.next()
  if (!SAFE_PATH.test(file)) throw new Error(`unsafe temporary path ${file}`)
  const clause = Object.entries({ ...settings, max_threads: 1, max_insert_threads: 1 }).map(([name, value]) => `${quoteIdentifier(name)} = ${Number(value)}`).join(', ')
  await fs.promises.writeFile(file, piecesOf(body))
  try {
    // The path is this process's own and the structure the feed spec's constants (both checked above).
    await client.command({
      query: `INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) SELECT * FROM file('${file}', 'RowBinary', '${structure.replaceAll("'", "\\'")}') SETTINGS ${clause}`,
    })
  } finally {
    await fs.promises.rm(file, { force: true })
  }
}

function piecesOf(body: Buffer | readonly Buffer[]): readonly Buffer[] {
  return Buffer.isBuffer(body) ? [body] : body
}

/** Identifiers (never values) that must be pasted into SQL: database names from configuration. */
export function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier: ${name}`)
  return `\`${name}\``
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    u.password = ''
    u.username = ''
    return u.toString()
  } catch {
    return '(invalid url)'
  }
}
