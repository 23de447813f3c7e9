import type { IncomingMessage } from 'node:http'
import type { AppContext } from '../context'
import { recordAudit } from './auditLog'
import { clientIp } from './cookies'
import type { Principal } from './principal'
import { firstLine } from '../errorLine'

/**
 * Every refused request leaves a trace (等保 2.0: failed access attempts are audited): who, which
 * route, why. A script hammering a route must not flood the trail or the database, so one row is
 * written per caller, address, route and status each minute, carrying how many refusals it stands
 * for; the rest of the minute is counted, not written.
 */
const WINDOW_MS = 60_000
/** Across all callers, per minute: beyond this the refusals are only counted (and logged once). */
const MAX_ROWS_PER_WINDOW = 600
const AUDITED_STATUSES = new Set([401, 403, 415])
/** Routes that audit their own refusals in more detail. */
const SELF_AUDITED = new Set(['/api/auth/login'])

interface Bucket {
  since: number
  suppressed: number
}

const buckets = new Map<string, Bucket>()
let windowStart = 0
let rowsInWindow = 0
let droppedInWindow = 0

export async function auditRefusal(req: IncomingMessage, ctx: Pick<AppContext, 'db' | 'log' | 'auth'>, status: number, message: string): Promise<void> {
  if (!AUDITED_STATUSES.has(status)) return
  const path = new URL(req.url ?? '/', 'http://localhost').pathname
  if (SELF_AUDITED.has(path)) return
  const who = await ctx.auth.identify(req).catch(() => null)
  await auditRefused(ctx, { who, ip: clientIp(req), target: `${req.method} ${path}`, status, message })
}

/** One refusal (an HTTP request, a socket subscription), rate-limited as described above. */
export async function auditRefused(
  ctx: Pick<AppContext, 'db' | 'log'>,
  refusal: { who: Pick<Principal, 'id' | 'name' | 'role'> | null; ip: string; target: string; status: number; message: string },
): Promise<void> {
  const { who, ip, target, status, message } = refusal
  const now = Date.now()
  if (now - windowStart >= WINDOW_MS) {
    if (droppedInWindow > 0) ctx.log.warn(`audit: ${droppedInWindow} refused requests in the last minute beyond ${MAX_ROWS_PER_WINDOW} rows were counted, not written`)
    windowStart = now
    rowsInWindow = 0
    droppedInWindow = 0
  }
  const key = `${who?.id ?? 'anonymous'}|${ip}|${status}|${target}`
  const bucket = buckets.get(key)
  if (bucket && now - bucket.since < WINDOW_MS) {
    bucket.suppressed += 1
    return
  }
  if (rowsInWindow >= MAX_ROWS_PER_WINDOW) {
    droppedInWindow += 1
    return
  }
  rowsInWindow += 1
  if (buckets.size > 10_000) buckets.clear()
  buckets.set(key, { since: now, suppressed: 0 })
  await recordAudit(ctx.db, {
    actor: who?.name ?? 'anonymous',
    role: who?.role ?? '',
    action: 'access.denied',
    target,
    outcome: 'denied',
    ip,
    detail: { status, problem: message.slice(0, 200), ...(bucket ? { alsoRefusedInPreviousMinute: bucket.suppressed } : {}) },
  }).catch((error: unknown) => ctx.log.warn(`audit write failed: ${firstLine(error)}`))
}
