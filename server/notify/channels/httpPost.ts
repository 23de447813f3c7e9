import { retryAfterMs, type SendOutcome } from './channel'

export interface PostResult {
  status: number
  retryAfter: string | null
  body: string
}

/** POST JSON with a time limit; network errors become a short reason (code only, no URL). */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult | { networkError: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    })
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause
    const name = error instanceof Error ? error.name : 'Error'
    return { networkError: cause?.code ?? (name === 'TimeoutError' ? 'timeout' : name) }
  }
}

/**
 * Robots answer HTTP 200 with `{errcode, errmsg}`; errcode 0 is delivered. `rateCodes` are their
 * "sending too fast" codes, `pauseMs` how long to wait then (they publish per-minute limits).
 */
export function robotOutcome(result: PostResult | { networkError: string }, rateCodes: number[], pauseMs: number): SendOutcome {
  if ('networkError' in result) return { ok: false, error: `network: ${result.networkError}` }
  if (result.status === 429) return { ok: false, error: 'HTTP 429', rateLimitedMs: retryAfterMs(result.retryAfter, pauseMs) }
  if (result.status < 200 || result.status >= 300) return { ok: false, error: `HTTP ${result.status}` }
  let parsed: { errcode?: number; errmsg?: string }
  try {
    parsed = JSON.parse(result.body) as { errcode?: number; errmsg?: string }
  } catch {
    return { ok: false, error: 'answer is not JSON' }
  }
  if (parsed.errcode === 0) return { ok: true }
  const reason = `errcode ${parsed.errcode}: ${String(parsed.errmsg ?? '').slice(0, 120)}`
  if (typeof parsed.errcode === 'number' && rateCodes.includes(parsed.errcode)) return { ok: false, error: reason, rateLimitedMs: pauseMs }
  return { ok: false, error: reason }
}
