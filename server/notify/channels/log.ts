import type { Logger } from '../../context'
import type { Channel, OutgoingMessage } from './channel'

/**
 * The demo sink: messages are printed to the server log and kept (the newest 200) for
 * GET /api/admin/notify/sink, so a new user sees them arrive without any outside network.
 */
export interface SinkEntry {
  at: string
  channel: string
  key: string
  digest: boolean
  title: string
  text: string
}

export function logChannel(options: { id: string; scope: string; log: Logger; keep?: number }): Channel & { received: SinkEntry[] } {
  const received: SinkEntry[] = []
  const keep = options.keep ?? 200
  return {
    id: options.id,
    type: 'log',
    scope: options.scope,
    describe: 'log (server log and /api/admin/notify/sink)',
    received,
    async send(message: OutgoingMessage) {
      received.push({ at: new Date().toISOString(), channel: options.id, key: message.key, digest: message.digest, title: message.title, text: message.text })
      if (received.length > keep) received.splice(0, received.length - keep)
      options.log.info(`notify → ${options.id}: ${message.title}\n${message.text.split('\n').map((line) => `    ${line}`).join('\n')}`)
      return { ok: true }
    },
  }
}
