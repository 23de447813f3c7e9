import type { Db } from '../db/client'
import { redactPersonalData } from './personalDataScan'

/**
 * The audit trail: who, when, what, outcome (等保 2.0 level 3). Append-only: this module only
 * inserts and reads.
 *
 * Masking goes by field, not by pattern. `target` names exactly what was acted on (a payment
 * detail id, a user name, a token id, a route): ids are not personal data, and a pattern scan once
 * rewrote detail ids that happen to hold 16 digits as bank cards (`L2026 **** **** 0007`), so 18
 * reveals were logged under 14 targets. Only text people type is redacted: the actor (a sign-in
 * name as typed) and the free-text fields of `detail` (a reveal reason, a label, a note).
 */
export type AuditOutcome = 'ok' | 'denied' | 'failed' | 'limited'

export interface AuditEvent {
  actor: string
  role: string
  action: string
  /** an identifier, written as given; never free text */
  target?: string
  outcome: AuditOutcome
  ip?: string
  detail?: Record<string, unknown>
}

export interface AuditRow {
  at: string
  actor: string
  role: string
  action: string
  target: string
  outcome: string
  ip: string
  detail: string
}

export async function recordAudit(db: Db, event: AuditEvent): Promise<void> {
  await db.client.insert({
    table: 'audit_log',
    format: 'JSONEachRow',
    values: [
      {
        actor: redactPersonalData(event.actor.slice(0, 100)),
        role: event.role,
        action: event.action,
        target: (event.target ?? '').slice(0, 200),
        outcome: event.outcome,
        ip: event.ip ?? '',
        detail: event.detail ? JSON.stringify(redactFreeText(event.detail)).slice(0, 2000) : '',
      },
    ],
  })
}

/** Detail fields that hold what a person typed; everything else is codes, ids and counts. */
const FREE_TEXT_FIELDS = new Set(['reason', 'label', 'note', 'problem'])

function redactFreeText(detail: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(detail).map(([key, value]) => [key, FREE_TEXT_FIELDS.has(key) && typeof value === 'string' ? redactPersonalData(value) : value]),
  )
}

export interface AuditQuery {
  limit?: number
  action?: string
  actor?: string
}

/** Newest first. */
export async function listAudit(db: Db, query: AuditQuery = {}): Promise<AuditRow[]> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000)
  const result = await db.client.query({
    query: `SELECT toString(at) AS at, actor, role, action, target, outcome, ip, detail
            FROM audit_log
            WHERE ({action:String} = '' OR action = {action:String})
              AND ({actor:String} = '' OR actor = {actor:String})
            ORDER BY at DESC
            LIMIT {limit:UInt32}`,
    query_params: { action: query.action ?? '', actor: query.actor ?? '', limit },
    format: 'JSONEachRow',
  })
  return result.json<AuditRow>()
}
