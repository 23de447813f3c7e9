import crypto from 'node:crypto'
import { z } from 'zod'
import type { Db } from '../db/client'
import { getRegion, isKnownRegion, isWithin } from '../../geo/regions'
import type { Channel } from './channels/channel'
import { EVENT_KINDS, SEVERITY_RANK, type EventKind, type NotifyEvent, type Severity } from './types'
import { nextVersion } from './version'
import { beijingDateTimeMs } from '../beijingTime'

export interface Subscription {
  subscriptionId: string
  channelId: string
  /** Region the subscriber wants; always inside the channel's own scope. */
  scope: string
  minSeverity: Severity
  kinds: EventKind[]
  createdBy: string
  createdAt: string
}

export const newSubscriptionSchema = z.object({
  channel: z.string().min(1).describe('channel id from the notify configuration'),
  scope: z.string().describe('region code: the city, a county, town or village'),
  minSeverity: z.enum(['info', 'warn', 'critical']).default('warn').describe('least severity: warn = 较大 and 重大'),
  kinds: z.array(z.enum(EVENT_KINDS)).min(1).default([...EVENT_KINDS]).describe('event kinds'),
}).strict()
export type NewSubscription = z.input<typeof newSubscriptionSchema>

export class SubscriptionError extends Error {}

/**
 * Same channel, scope, severity and kinds give the same id, so adding a subscription twice (a
 * retried API call, a script run again) keeps one.
 */
function subscriptionId(channel: string, scope: string, minSeverity: string, kinds: string[]): string {
  return 'sub-' + crypto.createHash('sha256').update([channel, scope, minSeverity, [...kinds].sort().join(',')].join('|')).digest('hex').slice(0, 12)
}

export async function addSubscription(db: Db, channels: Map<string, Channel>, input: NewSubscription, createdBy: string): Promise<Subscription> {
  const parsed = newSubscriptionSchema.safeParse(input)
  if (!parsed.success) throw new SubscriptionError(`subscription field ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`)
  const { channel: channelId, scope, minSeverity, kinds } = parsed.data
  const channel = channels.get(channelId)
  if (!channel) throw new SubscriptionError(`no channel ${channelId} in the notify configuration (channels: ${[...channels.keys()].join(', ') || 'none'})`)
  if (!isKnownRegion(scope)) throw new SubscriptionError(`unknown region ${scope}`)
  if (!isWithin(scope, channel.scope)) {
    throw new SubscriptionError(`channel ${channelId} serves ${getRegion(channel.scope)?.name ?? channel.scope} only; ${getRegion(scope)?.name ?? scope} is outside it`)
  }
  const subscription: Subscription = {
    subscriptionId: subscriptionId(channelId, scope, minSeverity, kinds),
    channelId, scope, minSeverity, kinds: [...new Set(kinds)], createdBy, createdAt: beijingDateTimeMs(),
  }
  await db.client.insert({
    table: 'notify_subscription',
    values: [{
      subscription_id: subscription.subscriptionId, channel_id: channelId, scope, min_severity: minSeverity, kinds: subscription.kinds,
      created_by: createdBy, created_at: subscription.createdAt, deleted: 0, version: nextVersion(),
    }],
    format: 'JSONEachRow',
  })
  return subscription
}

export async function removeSubscription(db: Db, id: string): Promise<boolean> {
  const found = (await listSubscriptions(db)).find((s) => s.subscriptionId === id)
  if (!found) return false
  await db.client.insert({
    table: 'notify_subscription',
    values: [{ subscription_id: id, channel_id: found.channelId, scope: found.scope, min_severity: found.minSeverity, kinds: found.kinds, created_by: found.createdBy, created_at: found.createdAt, deleted: 1, version: nextVersion() }],
    format: 'JSONEachRow',
  })
  return true
}

export async function listSubscriptions(db: Db): Promise<Subscription[]> {
  const result = await db.client.query({
    query: `SELECT subscription_id, channel_id, scope, min_severity, kinds, created_by, created_at
            FROM notify_subscription FINAL WHERE deleted = 0 ORDER BY channel_id, scope, subscription_id`,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{ subscription_id: string; channel_id: string; scope: string; min_severity: Severity; kinds: EventKind[]; created_by: string; created_at: string }>()
  return rows.map((r) => ({ subscriptionId: r.subscription_id, channelId: r.channel_id, scope: r.scope, minSeverity: r.min_severity, kinds: r.kinds, createdBy: r.created_by, createdAt: r.created_at }))
}

/**
 * The channels an event goes to. Checked twice: the subscription's scope, and the channel's own
 * scope (so a subscription stored before a channel's scope was narrowed still cannot leak). A
 * briefing goes only to subscriptions of exactly its region: each leader gets their own figures.
 */
export function channelsFor(event: NotifyEvent, subscriptions: Subscription[], channels: Map<string, Channel>): Channel[] {
  const chosen = new Map<string, Channel>()
  for (const sub of subscriptions) {
    const channel = channels.get(sub.channelId)
    if (!channel || chosen.has(channel.id)) continue
    if (!sub.kinds.includes(event.kind)) continue
    if (!isWithin(event.regionCode, channel.scope)) continue
    if (event.kind === 'briefing') {
      if (event.regionCode !== sub.scope) continue
    } else {
      if (!isWithin(event.regionCode, sub.scope)) continue
      if (SEVERITY_RANK[event.severity] < SEVERITY_RANK[sub.minSeverity]) continue
    }
    chosen.set(channel.id, channel)
  }
  return [...chosen.values()]
}
