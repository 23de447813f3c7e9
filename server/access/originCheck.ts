import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { HttpError } from '../http/router'

/**
 * The session cookie is SameSite=Strict, but "site" is the registrable domain: a page on another
 * port of the same host (or another host of the same domain) is same-site and gets the cookie
 * sent along. So everything the cookie authorises beyond reading one's own page (a state change,
 * a live socket) also checks that the page asking is ours: its `Origin` must be one of the
 * configured public origins (PUBLIC_ORIGIN), or, when none is configured, the origin the request
 * itself addressed (its Host header, which a browser sets and a foreign page cannot).
 */
export type AllowedOrigins = readonly string[] | undefined

/** The origins a request from `headers` may come from. */
export function allowedOriginsFor(headers: IncomingHttpHeaders, configured: AllowedOrigins): string[] {
  if (configured && configured.length > 0) return [...configured]
  const host = headers.host
  if (!host) return []
  // No scheme is trusted from the request: the same host and port serve only one of them.
  return [`http://${host}`, `https://${host}`].map((origin) => origin.toLowerCase())
}

/** Null when the request's Origin is allowed, else why not (for the refusal and the audit). */
export function originProblem(headers: IncomingHttpHeaders, configured: AllowedOrigins): string | null {
  const origin = headers.origin
  // Browsers send Origin on every POST and every WebSocket handshake; its absence means a
  // non-browser client, which must then say where it comes from like a browser would.
  if (!origin) return 'request without Origin'
  if (!allowedOriginsFor(headers, configured).includes(origin.toLowerCase())) return `origin ${origin.slice(0, 100)} not allowed`
  return null
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * A state change authorised by the session cookie: from one of our origins, with a JSON body
 * (a form or a no-cors fetch can only send text/plain, urlencoded or multipart). Throws 403/415.
 */
export function checkCookieStateChange(req: IncomingMessage, configured: AllowedOrigins): void {
  if (SAFE_METHODS.has(req.method ?? 'GET')) return
  const problem = originProblem(req.headers, configured)
  if (problem) throw new HttpError(403, `请求来源不被允许（${problem}）`)
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (type !== 'application/json') throw new HttpError(415, '请求体须为 application/json')
}
