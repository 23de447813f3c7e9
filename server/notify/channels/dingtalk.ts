import crypto from 'node:crypto'
import type { Channel, OutgoingMessage } from './channel'
import { postJson, robotOutcome } from './httpPost'
import { hostOf } from '../redact'
import { truncateBytes } from './truncate'

/**
 * DingTalk group robot, signed mode: `timestamp` (ms) and `sign` = url-encoded base64 of
 * HMAC-SHA256(secret, `${timestamp}\n${secret}`) are appended to the webhook URL; DingTalk refuses
 * a timestamp more than an hour off. errcode 130101 = more than 20 messages a minute.
 */
export function dingtalkSign(secret: string, timestamp: number): string {
  const digest = crypto.createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64')
  return encodeURIComponent(digest)
}

export function signedDingtalkUrl(url: string, secret: string | undefined, now = Date.now()): string {
  if (!secret) return url
  const separator = url.includes('?') ? '&' : '?'
  return `${url}${separator}timestamp=${now}&sign=${dingtalkSign(secret, now)}`
}

/** DingTalk caps a markdown message at 20,000 bytes; stay well below. */
const MAX_BYTES = 18_000

export function dingtalkChannel(options: { id: string; scope: string; url: string; secret?: string; timeoutMs: number; rateLimitPauseMs: number }): Channel {
  return {
    id: options.id,
    type: 'dingtalk',
    scope: options.scope,
    describe: `dingtalk ${hostOf(options.url)}${options.secret ? ' (signed)' : ''}`,
    async send(message: OutgoingMessage) {
      const body = JSON.stringify({ msgtype: 'markdown', markdown: { title: message.title, text: truncateBytes(message.markdown, MAX_BYTES) } })
      const result = await postJson(signedDingtalkUrl(options.url, options.secret), body, {}, options.timeoutMs)
      return robotOutcome(result, [130101], options.rateLimitPauseMs)
    },
  }
}
