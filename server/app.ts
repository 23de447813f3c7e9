import http from 'node:http'
import type { AppConfig } from './config'
import { openDb } from './db/client'
import { migrate } from './db/migrate'
import { consoleLogger, type AppContext, type Logger } from './context'
import { Router, sendJson } from './http/router'
import { registerHealthRoutes } from './http/healthRoutes'
import { registerBenchProbe } from './http/benchProbe'
import { registerParts } from './parts'
import { HttpError } from './http/router'
import { ingestGate } from './ingest/ingestGate'
import type { Auth } from './access/principal'
import { describeBudget, descriptorBudget } from './descriptors'

export interface StartOptions {
  /** Serve the Next.js pages (off in API-only tests). */
  withPages?: boolean
  /** Next.js dev mode (hot reload) instead of the production build in .next. */
  dev?: boolean
  log?: Logger
  /** Replaces the sign-in layer (tests of parts that only need some principal). */
  auth?: Auth
  /** Rule engine off (tests that measure the live hub alone). */
  rules?: boolean
  /** Runs after migrations, before the parts start and the server listens (demo seeding). */
  prepare?: (ctx: AppContext) => Promise<void>
}

export interface RunningApp {
  ctx: AppContext
  server: http.Server
  url: string
  close(): Promise<void>
  /**
   * A stop for deploys and restarts: refuse new ingests (503 + Retry-After), stop accepting
   * connections, let ingests in flight finish within `graceMs`, then close as `close()` does.
   */
  shutdown(options: { graceMs: number }): Promise<{ drained: boolean; inFlight: number }>
}

/**
 * Starts the whole server in this process: database (migrated), JSON API, Socket.IO and the
 * Next.js pages on one port. Parts register themselves through `registerParts`.
 */
export async function startApp(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const log = options.log ?? consoleLogger
  // Before the engine opens anything: a SOCKET_CAP the limit cannot hold stops start-up here.
  const descriptors = descriptorBudget(config.SOCKET_CAP)
  log.info(describeBudget(descriptors))
  const db = await openDb({
    url: config.CLICKHOUSE_URL,
    user: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    database: config.CLICKHOUSE_DATABASE,
    dataDir: config.dataDir,
  })
  const closers: Array<() => Promise<void> | void> = [() => db.close()]
  try {
    const applied = await migrate(db)
    if (applied.length) log.info(`applied migrations: ${applied.join(', ')}`)

    const ctx: AppContext = { config, db, log, startedAt: new Date(), auth: unidentified, onIngest: [], dataChanged: () => {}, healthExtras: [], descriptors }
    await options.prepare?.(ctx)
    const router = new Router()
    registerHealthRoutes(router)
    if (config.BENCH_PROBE === 'on') closers.push(registerBenchProbe(router))

    const pages = options.withPages ? await preparePages(options.dev ?? false) : undefined
    const server = http.createServer((req, res) => {
      router
        .handle(req, res, ctx)
        .then((handled) => {
          if (handled) return
          if (pages) return pages(req, res)
          sendJson(res, 404, { error: `no route for ${req.method} ${req.url}` })
        })
        .catch((error) => {
          log.error(`request failed: ${error instanceof Error ? error.message : error}`)
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
        })
    })
    // The last guard of the engine's descriptors: connections past this are closed as they arrive
    // (sockets are refused with a reason well before it, at descriptors.socketCap).
    if (descriptors.connectionCap > 0) server.maxConnections = descriptors.connectionCap
    const parts = await registerParts(ctx, router, server, { auth: options.auth, rules: options.rules })
    closers.unshift(...parts)

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(config.PORT, config.HOST, () => resolve())
    })
    ingestGate.startAccepting()
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : config.PORT
    // Parts first (the live hub disconnects its sockets), then the HTTP server, then the database:
    // open WebSockets would otherwise hold server.close() until they time out.
    closers.splice(parts.length, 0, () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections() // idle keep-alive connections would hold close() too
    }))
    const close = async () => {
      for (const closer of closers) await closer()
    }
    return {
      ctx,
      server,
      url: `http://127.0.0.1:${port}`,
      close,
      shutdown: async ({ graceMs }) => {
        ingestGate.stopAccepting()
        server.close() // the listening socket: no new connections; open ones finish their requests
        const inFlight = ingestGate.requestsInFlight
        const drained = await ingestGate.drain(graceMs)
        await close()
        return { drained, inFlight }
      },
    }
  } catch (error) {
    for (const close of closers) await Promise.resolve(close()).catch(() => {})
    throw error
  }
}

async function preparePages(dev: boolean): Promise<(req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>> {
  const { default: next } = await import('next')
  const app = next({ dev, dir: process.cwd() })
  await app.prepare()
  const handle = app.getRequestHandler()
  return (req, res) => handle(req, res)
}


/** Replaced by registerParts before the server listens; nothing is identified until then. */
const unidentified: Auth = {
  identify: async () => null,
  identifySocket: async () => null,
  require: async () => {
    throw new HttpError(401, 'sign-in required')
  },
}
