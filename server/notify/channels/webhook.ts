import crypto from 'node:crypto'
import { retryAfterMs, type Channel, type OutgoingMessage } from './channel'
import { postJson } from './httpPost'
import { hostOf } from '../redact'

/**
 * Plain HTTPS webhook. The body is JSON; `X-Ykt-Signature: sha256=<hex>` is HMAC-SHA256(secret,
 * `${timestamp}.${body}`) with `X-Ykt-Timestamp` (ms), so a receiver can check who sent it and
 * refuse replays. `Idempotency-Key` is the same for every retry of one message: a receiver that
 * keeps the keys it has seen gets each message exactly once even when a retry follows a crash.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** A digest of a storm lists this many events in full; `total` counts them all. */
const MAX_EVENTS_IN_BODY = 200

export function webhookBody(message: OutgoingMessage, publicUrl: string): string {
  return JSON.stringify({
    key: message.key,
    digest: message.digest,
    title: message.title,
    text: message.text,
    total: message.events.length,
    events: message.events.slice(0, MAX_EVENTS_IN_BODY).map((event) => ({ ...event, link: publicUrl + event.link })),
  })
}

export function webhookChannel(options: { id: string; scope: string; url: string; secret: string; publicUrl: string; timeoutMs: number; rateLimitPauseMs: number }): Channel {
  return {
    id: options.id,
    type: 'webhook',
    scope: options.scope,
    describe: `webhook ${hostOf(options.url)} (signed)`,
    async send(message: OutgoingMessage) {
      const body = webhookBody(message, options.publicUrl)
      const timestamp = String(Date.now())
      const result = await postJson(options.url, body, {
        'idempotency-key': message.key,
        'x-ykt-timestamp': timestamp,
        'x-ykt-signature': webhookSignature(options.secret, timestamp, body),
      }, options.timeoutMs)
      if ('networkError' in result) return { ok: false, error: `network: ${result.networkError}` }
      if (result.status === 429 || result.status === 503) return { ok: false, error: `HTTP ${result.status}`, rateLimitedMs: retryAfterMs(result.retryAfter, options.rateLimitPauseMs) }
      if (result.status >= 200 && result.status < 300) return { ok: true }
      return { ok: false, error: `HTTP ${result.status}` }
    },
  }
}
