import type { FlagEvent } from '../../dashboards/types'

export type Severity = FlagEvent['severity']

/** What can be sent out. Subscriptions name the kinds they want. */
export const EVENT_KINDS = ['flag', 'ledger_overdue', 'r17_reminder', 'r17_escalation', 'feed_silent', 'failure', 'briefing'] as const
export type EventKind = (typeof EVENT_KINDS)[number]

export const KIND_LABELS: Record<EventKind, string> = {
  flag: '新预警',
  ledger_overdue: '台账逾期',
  r17_reminder: '审批超时提醒',
  r17_escalation: '审批超时督办',
  feed_silent: '数据接入中断',
  failure: '系统故障',
  briefing: '每日简报',
}

/** 重大 / 较大 / 一般, as the wall names the severities. */
export const SEVERITY_LABELS: Record<Severity, string> = { critical: '重大', warn: '较大', info: '一般' }
export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warn: 2, critical: 3 }

/**
 * One thing worth telling someone about. Built on the server from masked data only: `text` and
 * `title` never hold a name, 身份证号, card or phone in clear (flag subjects are masked when stored).
 */
export interface NotifyEvent {
  /** Stable across restarts: the same case always gives the same id (part of the idempotency key). */
  eventId: string
  kind: EventKind
  severity: Severity
  /** Where it happened; a channel only receives events inside its own scope. */
  regionCode: string
  regionName: string
  title: string
  /** One or a few lines, masked. */
  text: string
  /** Path on the wall's site (joined to NOTIFY_PUBLIC_URL), e.g. /region/511025?flag=… */
  link: string
  occurredAt: string
  /** Daily briefing only: the figures, for email tables. */
  figures?: Array<{ label: string; value: string }>
}
