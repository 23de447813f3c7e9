import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AppContext } from '../context'
import { auditRefusal } from '../access/refusalAudit'
import { firstLine } from '../errorLine'
import { DomainError, type DomainErrorKind } from '../domainError'

/**
 * A small router for the JSON API under /api. Route modules register handlers; anything the router
 * does not match falls through to Next.js. Handlers throw `HttpError` for client errors.
 */
export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: AppContext, params: Record<string, string>, url: URL) => Promise<void>

interface Route {
  method: string
  pattern: RegExp
  keys: string[]
  handler: Handler
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

/** The status of each domain error kind (server/domainError.ts). */
const STATUS_OF_KIND: Record<DomainErrorKind, number> = { invalid: 400, forbidden: 403, notFound: 404, conflict: 409 }

/** A refusal to send the client: an HttpError as it is, a DomainError with its kind's status; null for a fault (500). */
export function httpErrorOf(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error
  if (error instanceof DomainError) return new HttpError(STATUS_OF_KIND[error.kind], error.message, error.details)
  return null
}

export const API_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
} as const

export class Router {
  private routes: Route[] = []

  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = []
    const pattern = new RegExp(
      '^' + path.replace(/:([a-zA-Z]+)/g, (_, key: string) => (keys.push(key), '([^/]+)')) + '/?$',
    )
    this.routes.push({ method, pattern, keys, handler })
    return this
  }

  /** Returns false when no route matches, so the caller can hand the request on. */
  async handle(req: IncomingMessage, res: ServerResponse, ctx: AppContext): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const candidates = this.routes.filter((route) => route.pattern.test(url.pathname))
    if (candidates.length === 0) return false
    const route = candidates.find((candidate) => candidate.method === req.method)
    // API answers are data, never pages: not to be sniffed into HTML nor shown inside a frame.
    for (const [name, value] of Object.entries(API_HEADERS)) res.setHeader(name, value)
    try {
      if (!route) throw new HttpError(405, `method ${req.method} not allowed on ${url.pathname}`)
      const match = route.pattern.exec(url.pathname)!
      const params = Object.fromEntries(route.keys.map((key, i) => [key, decodePathPart(match[i + 1])]))
      await route.handler(req, res, ctx, params, url)
    } catch (error) {
      const refused = httpErrorOf(error)
      if (refused) {
        await auditRefusal(req, ctx, refused.status, refused.message)
        sendJson(res, refused.status, { error: refused.message, ...(refused.details ? { details: refused.details } : {}) })
      } else {
        // Server faults are logged without request bodies (they may hold personal data).
        ctx.log.error(`${req.method} ${url.pathname} failed: ${firstLine(error)}`)
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
        else res.end()
      }
    }
    return true
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(text)
}

/**
 * Reads a request body up to `limit` bytes; larger bodies are refused with 413 before any parsing,
 * chunked ones too. The rest of such a body is left unread (not reset), so the sender reads the 413.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) throw new HttpError(413, `body of ${declared} bytes exceeds the limit of ${limit} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      req.off('data', onData)
      req.pause()
      reject(new HttpError(413, `body exceeds the limit of ${limit} bytes`))
    }
    req.on('data', onData)
    req.once('end', () => resolve())
    req.once('error', reject)
  })
  return Buffer.concat(chunks)
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    throw new HttpError(400, 'malformed percent-encoding in the path')
  }
}
