import type { Server } from 'socket.io'
import type { AppContext } from '../context'
import type { Principal } from './principal'
import { auditRefused } from './refusalAudit'

/**
 * Socket subscriptions refused by the live hub (outside the caller's scope, unknown theme) are
 * audited like refused HTTP requests, without touching the hub: each incoming event's
 * acknowledgement is watched, and a `{ ok: false }` answer is written down (rate-limited).
 */
export function auditSocketRefusals(io: Pick<Server, 'on'>, ctx: Pick<AppContext, 'db' | 'log'>): void {
  io.on('connection', (socket) => {
    socket.use((packet, next) => {
      const [event, payload] = packet
      const ackAt = packet.length - 1
      const ack = packet[ackAt]
      if (packet.length >= 2 && typeof ack === 'function') {
        packet[ackAt] = (reply: unknown) => {
          const refused = reply as { ok?: boolean; error?: string } | null
          if (refused && refused.ok === false) {
            const who = (socket.data as { principal?: Principal }).principal ?? null
            const room = payload && typeof payload === 'object' ? `${String((payload as Record<string, unknown>).dashboard)}:${String((payload as Record<string, unknown>).region)}` : ''
            void auditRefused(ctx, { who, ip: socket.handshake.address, target: `socket ${String(event)} ${room}`.slice(0, 200), status: 403, message: refused.error ?? 'refused' })
          }
          ack(reply)
        }
      }
      next()
    })
  })
}
