import type { Db } from '../db/client'
import type { Channel } from './channels/channel'
import type { NotifyEvent, Severity } from './types'
import { nextVersion } from './version'
import { beijingDateTimeMs } from '../beijingTime'

export type OutboxStatus = 'pending' | 'sending' | 'delivered' | 'failed'

/** One row of notify_outbox as read back (current state). */
export interface OutboxRow {
  delivery_key: string
  event_id: string
  channel_id: string
  kind: string
  severity: Severity
  region_code: string
  payload: string
  status: OutboxStatus
  attempts: number
  next_attempt_at: string
  batch_key: string
  last_error: string
  created_at: string
  updated_at: string
  delivered_at: string | null
  version: number
}

/** The idempotency key of an event on a channel: the same on every retry, restart and re-scan. */
export function deliveryKey(eventId: string, channelId: string): string {
  return `${eventId}|${channelId}`
}

const KEY_CHUNK = 2000

/**
 * Writes one pending row per event × channel that is not in the outbox yet. A key already there
 * (an event found again after a restart) is left alone; and should two writers race, the repeated
 * row carries version 1, below every delivery step, so it can never undo one.
 */
export async function enqueue(db: Db, routed: Array<{ event: NotifyEvent; channels: Channel[] }>): Promise<number> {
  const candidates = routed.flatMap(({ event, channels }) => channels.map((channel) => ({ event, channel, key: deliveryKey(event.eventId, channel.id) })))
  if (candidates.length === 0) return 0
  const existing = new Set<string>()
  for (let i = 0; i < candidates.length; i += KEY_CHUNK) {
    const keys = candidates.slice(i, i + KEY_CHUNK).map((c) => c.key)
    const result = await db.client.query({
      query: 'SELECT DISTINCT delivery_key FROM notify_outbox WHERE delivery_key IN {keys:Array(String)}',
      query_params: { keys },
      format: 'JSONEachRow',
    })
    for (const row of await result.json<{ delivery_key: string }>()) existing.add(row.delivery_key)
  }
  const now = beijingDateTimeMs()
  const seen = new Set<string>()
  const rows = candidates
    .filter((c) => !existing.has(c.key) && !seen.has(c.key) && seen.add(c.key))
    .map(({ event, channel, key }) => ({
      delivery_key: key, event_id: event.eventId, channel_id: channel.id, kind: event.kind, severity: event.severity,
      region_code: event.regionCode, payload: JSON.stringify(event), status: 'pending', attempts: 0, next_attempt_at: now,
      batch_key: '', last_error: '', created_at: now, updated_at: now, delivered_at: null, version: 1,
    }))
  if (rows.length > 0) await db.client.insert({ table: 'notify_outbox', values: rows, format: 'JSONEachRow' })
  return rows.length
}

const COLUMNS = `delivery_key, event_id, channel_id, kind, severity, region_code, payload, status, attempts,
  next_attempt_at, batch_key, last_error, created_at,
  updated_at, delivered_at, version`

async function selectRows(db: Db, where: string, params: Record<string, unknown>, limit: number): Promise<OutboxRow[]> {
  const result = await db.client.query({
    query: `SELECT ${COLUMNS} FROM notify_outbox FINAL WHERE ${where} ORDER BY created_at, delivery_key LIMIT {limit:UInt32}`,
    query_params: { ...params, limit },
    format: 'JSONEachRow',
  })
  return (await result.json<OutboxRow>()).map((row) => ({ ...row, attempts: Number(row.attempts), version: Number(row.version) }))
}

/** Channels whose rows wait: `paused` all of them, `digested` new rows (batch_key ''). */
export interface OutboxHolds {
  paused: string[]
  digested: string[]
  until: number
}

const NOT_HELD = `NOT has({paused:Array(String)}, channel_id) AND NOT (batch_key = '' AND has({digested:Array(String)}, channel_id))`

/** Pending rows whose time has come, held rows left out. */
export function duePending(db: Db, now: number, limit: number, held: OutboxHolds = { paused: [], digested: [], until: Infinity }): Promise<OutboxRow[]> {
  return selectRows(
    db,
    `status = 'pending' AND next_attempt_at <= {now:DateTime64(3, 'Asia/Shanghai')} AND ${NOT_HELD}`,
    { now: beijingDateTimeMs(now), paused: held.paused, digested: held.digested },
    limit,
  )
}

/** Rows a previous process claimed and may or may not have sent before it died. */
export function leftSending(db: Db, limit: number): Promise<OutboxRow[]> {
  return selectRows(db, `status = 'sending'`, {}, limit)
}

/** Earliest time a pending row that is not held becomes due (null: none). */
export async function nextDueAt(db: Db, held: OutboxHolds = { paused: [], digested: [], until: Infinity }): Promise<string | null> {
  const result = await db.client.query({
    query: `SELECT toString(min(next_attempt_at)) AS at, count() AS n FROM notify_outbox FINAL WHERE status = 'pending' AND ${NOT_HELD}`,
    query_params: { paused: held.paused, digested: held.digested },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ at: string; n: string }>()
  return Number(row?.n ?? 0) > 0 ? row.at : null
}

/** Writes the next state of rows (a higher version each). */
export async function writeStates(db: Db, rows: OutboxRow[], change: Partial<OutboxRow>): Promise<OutboxRow[]> {
  const now = beijingDateTimeMs()
  const version = nextVersion()
  const updated = rows.map((row) => ({ ...row, ...change, updated_at: now, version }))
  if (updated.length > 0) await db.client.insert({ table: 'notify_outbox', values: updated, format: 'JSONEachRow' })
  return updated
}

export interface DeliveryQuery {
  status?: OutboxStatus
  channel?: string
  limit: number
}

/** For the admin API: the newest rows first, payload parsed (it is masked). */
export async function listDeliveries(db: Db, query: DeliveryQuery): Promise<Array<Omit<OutboxRow, 'payload'> & { title: string }>> {
  const conditions = ['1']
  const params: Record<string, unknown> = { limit: query.limit }
  if (query.status) {
    conditions.push('status = {status:String}')
    params.status = query.status
  }
  if (query.channel) {
    conditions.push('channel_id = {channel:String}')
    params.channel = query.channel
  }
  const result = await db.client.query({
    query: `SELECT ${COLUMNS} FROM notify_outbox FINAL WHERE ${conditions.join(' AND ')} ORDER BY updated_at DESC, delivery_key LIMIT {limit:UInt32}`,
    query_params: params,
    format: 'JSONEachRow',
  })
  return (await result.json<OutboxRow>()).map(({ payload, ...row }) => ({ ...row, attempts: Number(row.attempts), version: Number(row.version), title: (JSON.parse(payload) as NotifyEvent).title }))
}

/** Counts by channel and status (admin API and /api/health). */
export async function countByStatus(db: Db): Promise<Array<{ channel_id: string; status: OutboxStatus; n: number }>> {
  const result = await db.client.query({
    query: 'SELECT channel_id, status, count() AS n FROM notify_outbox FINAL GROUP BY channel_id, status ORDER BY channel_id, status',
    format: 'JSONEachRow',
  })
  return (await result.json<{ channel_id: string; status: OutboxStatus; n: string }>()).map((r) => ({ ...r, n: Number(r.n) }))
}
