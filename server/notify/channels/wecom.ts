import type { Channel, OutgoingMessage } from './channel'
import { postJson, robotOutcome } from './httpPost'
import { hostOf } from '../redact'
import { truncateBytes } from './truncate'

/**
 * WeCom (企业微信) group robot: the key in the webhook URL is its only credential. Markdown content
 * is capped at 4096 bytes; errcode 45009 = over the 20 messages a minute limit.
 */
const MAX_BYTES = 4000

export function wecomChannel(options: { id: string; scope: string; url: string; timeoutMs: number; rateLimitPauseMs: number }): Channel {
  return {
    id: options.id,
    type: 'wecom',
    scope: options.scope,
    describe: `wecom ${hostOf(options.url)}`,
    async send(message: OutgoingMessage) {
      const body = JSON.stringify({ msgtype: 'markdown', markdown: { content: truncateBytes(message.markdown, MAX_BYTES) } })
      return robotOutcome(await postJson(options.url, body, {}, options.timeoutMs), [45009], options.rateLimitPauseMs)
    },
  }
}
