import type { NotifyEvent } from '../types'

export type ChannelType = 'dingtalk' | 'wecom' | 'webhook' | 'email' | 'log'

/** One message to one channel: a single event, a digest of many, or a daily briefing. */
export interface OutgoingMessage {
  /** Idempotency key (event × channel, or the digest's own key): the same message always carries the same key. */
  key: string
  digest: boolean
  title: string
  /** Plain text (email text part, log sink). */
  text: string
  /** Markdown for robots (DingTalk / WeCom). */
  markdown: string
  /** HTML body for email. */
  html: string
  events: NotifyEvent[]
  /** Email only: e.g. the briefing's PNG of the overview, shown inline by `cid`. */
  attachments?: Array<{ filename: string; content: Buffer; cid: string }>
}

/**
 * What the receiver said. `rateLimitedMs`: the receiver asked us to slow down (HTTP 429, DingTalk
 * errcode 130101, WeCom 45009, SMTP 421/450/451/452); the message is not counted as failed and the
 * channel pauses that long. `error` never contains a secret (see redact.ts).
 */
export type SendOutcome = { ok: true } | { ok: false; error: string; rateLimitedMs?: number }

export interface Channel {
  id: string
  type: ChannelType
  /** The region this channel may hear about: a county's channel never receives another county's events. */
  scope: string
  /** Safe to show and log: type and host, never the URL's token or the secret. */
  describe: string
  send(message: OutgoingMessage): Promise<SendOutcome>
  close?(): void
}

/** The receiver's Retry-After (seconds or an HTTP date) in ms, else the fallback. */
export function retryAfterMs(header: string | null, fallbackMs: number): number {
  if (!header) return fallbackMs
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 3600_000)
  const at = Date.parse(header)
  return Number.isFinite(at) ? Math.min(Math.max(at - Date.now(), 0), 3600_000) : fallbackMs
}
