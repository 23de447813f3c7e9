import type { IncomingMessage } from 'node:http'
import type { z } from 'zod'
import { HttpError, readBody } from '../../http/router'
import { LedgerError } from '../ledger/stateMachine'
import { FollowupError } from '../ledger/followups'

/**
 * A JSON body parsed by `schema`; 400 naming the first bad field. Only `application/json` is read:
 * a form post or a no-cors fetch can send JSON-looking text/plain without a preflight, and once
 * wrote watch marks and ledger transitions in a signed-in victim's name.
 */
export async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.infer<S>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (type !== 'application/json') throw new HttpError(415, '请求体须为 application/json')
  let value: unknown
  try {
    value = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8') || '{}')
  } catch (error) {
    if (error instanceof HttpError) throw error
    throw new HttpError(400, '请求体不是合法的 JSON')
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new HttpError(400, `参数 ${issue.path.join('.') || '(body)'} 不合法：${issue.message}`)
  }
  return parsed.data
}

/** Page and page size from the query string (1-based, at most 200 per page). */
export function paging(url: URL): { page: number; pageSize: number } {
  const page = Math.max(1, Math.floor(Number(url.searchParams.get('page') ?? 1)) || 1)
  const pageSize = Math.min(200, Math.max(1, Math.floor(Number(url.searchParams.get('pageSize') ?? 50)) || 50))
  return { page, pageSize }
}

export function optional(url: URL, name: string): string | undefined {
  const value = url.searchParams.get(name)
  return value === null || value === '' ? undefined : value
}

/** State-machine refusals are the client's conflict (409), with the message naming item, from and to. */
export async function asConflict<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof LedgerError || error instanceof FollowupError) throw new HttpError(409, error.message)
    throw error
  }
}
