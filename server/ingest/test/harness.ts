import { startApp, type RunningApp } from '../../app'
import { testConfig } from '../../testing/tempDb'

export const TOKEN = 'test-ingest-token-0123'

/** The whole app (ingest wired by server/parts.ts) on a temp data dir, with a known ingest token. */
export async function startIngestApp(dataDir: string): Promise<RunningApp> {
  return startApp(testConfig(dataDir, { INGEST_TOKEN: TOKEN }))
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
