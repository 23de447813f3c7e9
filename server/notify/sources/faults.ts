import type { AppContext } from '../../context'
import { CITY_CODE } from '../../../geo/regions'
import { redactPersonalData } from '../../access/personalDataScan'
import type { NotifyEvent } from '../types'

/**
 * Faults of the server itself (a rule that failed, an ingest batch that could not be stored, the
 * payment feed gone silent). Parts call `reportFault(ctx, …)`; the notify part, when running for
 * that ctx, turns them into events for the city's channels. One event per source and key per
 * 10 minutes, so a fault repeating every second is one message, not hundreds.
 */
export interface Fault {
  source: 'rules' | 'ingest' | 'feed'
  /** what failed: a rule id, a feed name */
  key: string
  /** first line, already free of personal data and secrets */
  message: string
  /** What makes it a new case (e.g. when the feed last spoke); default: the 10-minute bucket. */
  episode?: string
}

const listeners = new WeakMap<AppContext, (fault: Fault) => void>()

export function onFault(ctx: AppContext, listener: ((fault: Fault) => void) | null): void {
  if (listener) listeners.set(ctx, listener)
  else listeners.delete(ctx)
}

export function reportFault(ctx: AppContext, fault: Fault): void {
  try {
    listeners.get(ctx)?.(fault)
  } catch {
    // a notification problem must never become the caller's problem
  }
}

const BUCKET_MS = 10 * 60_000

export function faultEvent(fault: Fault, now = Date.now()): NotifyEvent {
  const bucket = Math.floor(now / BUCKET_MS)
  const what = fault.source === 'rules' ? `规则 ${fault.key} 运行失败` : fault.source === 'ingest' ? `数据接入 ${fault.key} 批次入库失败` : `数据接入 ${fault.key} 中断`
  return {
    eventId: `fault:${fault.source}:${fault.key}:${fault.episode ?? bucket}`,
    kind: fault.source === 'feed' ? 'feed_silent' : 'failure',
    severity: 'critical',
    regionCode: CITY_CODE,
    regionName: '内江市',
    title: what,
    // Error texts can quote a value from a batch: anything that looks like an ID, phone or card is masked.
    text: redactPersonalData(fault.message.slice(0, 300)),
    link: '/api/health',
    occurredAt: new Date(now).toISOString(),
  }
}
