import fs from 'node:fs'
import path from 'node:path'
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import { firstLine } from '../errorLine'
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
      client = embeddedClient(options.dataDir)
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
    const background: Db = { client: own, engine, database: options.database, close: () => own.close() }
    return { client: opened, engine, database: options.database, background, close: async () => { await own.close(); await opened.close() } }
  }
  const lane = new EngineLane()
  const background: Db = { client: laneClient(opened, lane, 'low'), engine, database: options.database, close: async () => {}, lane }
  return { client: laneClient(opened, lane, 'high'), engine, database: options.database, background, lane, close: () => opened.close() }
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

function embeddedClient(dataDir: string): ClickHouseClient {
  try {
    fs.mkdirSync(dataDir, { recursive: true })
    fs.accessSync(dataDir, fs.constants.R_OK | fs.constants.W_OK)
  } catch (error) {
    throw new DbStartError(`DATA_DIR ${dataDir} is not a readable, writable directory: ${firstLine(error, 300)}`)
  }
  // chdb/connection implements @clickhouse/client-common's Connection, but it is typed against its
  // own copy of that package; the shapes agree at run time (chdb's parity suite checks it). This is
  // the single place where the two declarations meet.
  const connection = createChdbConnection({ path: path.resolve(dataDir) }) as unknown as NonNullable<
    Parameters<typeof createClient>[0]
  >['connection']
  return createClient({ connection, log: { level: ClickHouseLogLevel.OFF } })
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
