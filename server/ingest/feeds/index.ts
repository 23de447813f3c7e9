import type { FeedSpec } from './feedSpec'
import { indicatorsFeed } from './indicators'
import { paymentsFeed } from './payments'
import { plansFeed } from './plans'
import { vouchersFeed } from './vouchers'
import { workflowFeed } from './workflow'

export type { FeedSpec } from './feedSpec'
export type { PaymentRecord } from './payments'
export type { IndicatorRecord } from './indicators'
export type { PlanRecord } from './plans'
export type { VoucherRecord } from './vouchers'
export type { WorkflowRecord } from './workflow'

/** The feeds accepted at POST /api/ingest/:feed, by the name in the URL. */
const feeds = {
  payments: paymentsFeed,
  indicators: indicatorsFeed,
  plans: plansFeed,
  vouchers: vouchersFeed,
  workflow: workflowFeed,
} as const

export type FeedName = keyof typeof feeds

export const FEED_NAMES = Object.keys(feeds) as FeedName[]

export function feedByName(name: string): FeedSpec | undefined {
  return Object.hasOwn(feeds, name) ? (feeds[name as FeedName] as unknown as FeedSpec) : undefined
}
