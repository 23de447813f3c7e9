import type { Db } from '../../db/client'
import { getRule } from '../../rules/catalog/index'
import type { NotifyEvent, Severity } from '../types'
import { eventRegion } from './region'
import { beijingDateTimeMs, msFromBeijing } from '../../beijingTime'

interface FlagRow {
  flag_id: string
  rule_id: string
  severity: Severity
  county_code: string
  town_code: string
  village_code: string
  amount: number | null
  subject: string
  detected_text: string
  stored_text: string
}

/**
 * New 重大/较大 flags are read from the flag table itself (by stored_at), not taken from the
 * engine's callback alone: a process killed between storing a flag and writing the outbox finds
 * the flag again on its next start. R17 is left to the approvals watcher (reminder vs 督办).
 * `subject` is stored masked; nothing else about the person is read.
 */
export async function readNewFlags(db: Db, since: string): Promise<{ events: NotifyEvent[]; position: string | null }> {
  const result = await db.client.query({
    query: `SELECT flag_id, rule_id, severity, county_code, town_code, village_code, toFloat64OrNull(toString(amount)) AS amount,
                   subject, toString(detected_at) AS detected_text, toString(stored_at) AS stored_text
            FROM flag
            WHERE stored_at > {since:DateTime64(3, 'Asia/Shanghai')} AND severity IN ('warn', 'critical') AND rule_id != 'R17'
            ORDER BY stored_at
            LIMIT 1 BY flag_id`,
    query_params: { since },
    format: 'JSONEachRow',
  })
  const rows = await result.json<FlagRow>()
  return { events: rows.map(flagEvent), position: rows.length ? rows[rows.length - 1].stored_text : null }
}

/** Where the flag source starts on a first run: after the flags already there (history is not news). */
export async function newestFlagStoredAt(db: Db): Promise<string> {
  const result = await db.client.query({ query: 'SELECT toString(max(stored_at)) AS at, count() AS n FROM flag', format: 'JSONEachRow' })
  const [row] = await result.json<{ at: string; n: string }>()
  return Number(row.n) > 0 ? row.at : beijingDateTimeMs(0)
}

function flagEvent(row: FlagRow): NotifyEvent {
  const region = eventRegion(row)
  const rule = getRule(row.rule_id)
  const amount = row.amount === null ? '' : `，金额 ${Number(row.amount).toFixed(2)} 元`
  return {
    eventId: `flag:${row.flag_id}`,
    kind: 'flag',
    severity: row.severity,
    regionCode: region.code,
    regionName: region.name,
    title: `${row.rule_id} ${rule?.name ?? ''}`.trim(),
    text: `${row.subject}${amount}`,
    link: `/region/${region.code}?flag=${encodeURIComponent(row.flag_id)}`,
    occurredAt: new Date(msFromBeijing(row.detected_text)).toISOString(),
  }
}
