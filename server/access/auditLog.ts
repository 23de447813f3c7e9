import type { Db } from '../db/client'
import { redactPersonalData } from './personalDataScan'

/**
 * The audit trail: who, when, what, outcome (等保 2.0 level 3). Append-only: this module only
 * inserts and reads. `detail` is a short JSON of filters and counts, run through redaction in case
 * free text (a reveal reason, a label) carried an ID, phone or card number.
 */
export type AuditOutcome = 'ok' | 'denied' | 'failed' | 'limited'

export interface AuditEvent {
  actor: string
  role: string
  action: string
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
        target: redactPersonalData((event.target ?? '').slice(0, 200)),
        outcome: event.outcome,
        ip: event.ip ?? '',
        detail: event.detail ? redactPersonalData(JSON.stringify(event.detail).slice(0, 2000)) : '',
      },
    ],
  })
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
