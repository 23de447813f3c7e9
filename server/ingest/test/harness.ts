import net from 'node:net'
import { startApp, type RunningApp } from '../../app'
import { Router } from '../../http/router'
import { testConfig } from '../../testing/tempDb'
import { registerIngestRoutes } from '../routes'

export const TOKEN = 'test-ingest-token-0123'

/**
 * The whole app on a temp data dir. Until server/app.ts wires `registerIngestRoutes(router)` in
 * registerParts, the ingest routes are mounted in front of the app's own request handler, so the
 * tests run through the same Router, context and HTTP server either way.
 */
export async function startIngestApp(dataDir: string): Promise<RunningApp> {
  // testConfig asks for PORT 0, which config.ts (PORT ≥ 1) refuses at the moment: pick a free port.
  const app = await startApp(testConfig(dataDir, { INGEST_TOKEN: TOKEN, PORT: String(await freePort()) }))
  const probe = await fetch(`${app.url}/api/ingest/payments`, { method: 'POST' })
  if (probe.status === 404) mountIngestRoutes(app)
  return app
}

async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as net.AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

function mountIngestRoutes(app: RunningApp): void {
  const router = new Router()
  registerIngestRoutes(router)
  const appHandlers = app.server.listeners('request') as Array<(...args: unknown[]) => void>
  app.server.removeAllListeners('request')
  app.server.on('request', (req, res) => {
    void router.handle(req, res, app.ctx).then((handled) => {
      if (!handled) for (const handler of appHandlers) handler.call(app.server, req, res)
    })
  })
}

export interface PostOptions {
  token?: string | null
  contentType?: string
  headers?: Record<string, string>
  query?: string
}

/** POST a batch; `body` objects are sent as JSON, strings as they are. */
export async function postBatch(app: RunningApp, feed: string, body: unknown, options: PostOptions = {}): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json', ...options.headers }
  const token = options.token === undefined ? TOKEN : options.token
  if (token !== null) headers.authorization = `Bearer ${token}`
  const response = await fetch(`${app.url}/api/ingest/${feed}${options.query ?? ''}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, json: await response.json() }
}

export function ndjson(records: unknown[]): string {
  return records.map((record) => JSON.stringify(record)).join('\n') + '\n'
}

/** First row of a query, through the app's own database handle. */
export async function queryRow<T = Record<string, string | number>>(app: RunningApp, query: string, params: Record<string, unknown> = {}): Promise<T> {
  const result = await app.ctx.db.client.query({ query, query_params: params, format: 'JSONEachRow' })
  const [row] = await result.json<T>()
  return row
}
