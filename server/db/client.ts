import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client'
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

/** Formats a body may be sent in (chDB's raw insert whitelist: text formats only, no RowBinary). */
export type BodyFormat = 'JSONEachRow' | 'JSONCompactEachRow' | 'TSV' | 'CSV'

export interface BodyInsert {
  table: string
  /** the body's columns in order; [] = all of the table's, in its order */
  columns: readonly string[]
  format: BodyFormat
  body: Buffer
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
  return { client: laneClient(opened, lane, 'high'), engine, database: options.database, insertBody: (insert) => lane.high(() => traced('high', `INSERT INTO ${insert.table} FORMAT ${insert.format}`, () => raw(insert))), background, lane, close: () => opened.close() }
}

async function httpInsertBody(client: ClickHouseClient, insert: BodyInsert): Promise<void> {
  const result = await client.exec({ query: insertStatement(insert), values: Readable.from([insert.body]) })
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

function embeddedClient(dataDir: string): { client: ClickHouseClient; rawInsert: (insert: BodyInsert) => Promise<void> } {
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
  const rawInsert = async ({ table, columns, format, body, settings }: BodyInsert) => {
    await raw.rawInsert({ table, columns: columns.length ? columns : undefined, format, values: body, settings })
  }
  return { client: createClient({ connection, log: { level: ClickHouseLogLevel.OFF } }), rawInsert }
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
