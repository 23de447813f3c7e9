import { z } from 'zod'
import { isKnownRegion } from '../geo/regions'
import { THEME_IDS, type FlagEvent, type Heartbeat, type RoomUpdate, type SubscribeAck } from './types'

/**
 * The one socket contract of the live wall, used by the server's gateway (server/live/gateway.ts)
 * and the pages (app/components/useLive.ts): Socket.IO's typed event maps and the zod schema every
 * request is parsed with on the server (a typed client is no proof of a well-formed payload).
 * Browser-safe: imports nothing from server/.
 */
export const subscribeRequestSchema = z
  .object({
    dashboard: z.enum(THEME_IDS).describe('theme id'),
    region: z.string().refine(isKnownRegion, { message: '未知的地区代码' }).describe('region code: city, county, town or village'),
  })
  .strict()
export type RoomRequest = z.infer<typeof subscribeRequestSchema>

export type UnsubscribeAck = { ok: boolean }

/**
 * The reason a socket is refused when the server holds as many as its cap (SOCKET_CAP): the
 * `connect_error` message, shown on the wall as is. Its `data` says when to try again; the client
 * backs off from there (with jitter, so a roomful of walls does not come back at once).
 */
export const SOCKETS_FULL = '连接已满，稍后自动重试'
export interface SocketsFullRefusal {
  code: 'sockets-full'
  /** the earliest retry the server suggests (ms) */
  retryAfterMs: number
}

/** client → server */
export interface ClientToServerEvents {
  /** Join a room; acknowledged with its whole snapshot, answered from memory. */
  subscribe: (request: RoomRequest, ack: (reply: SubscribeAck) => void) => void
  /** A client that saw a seq gap asks again for the whole room. */
  snapshot: (request: RoomRequest, ack: (reply: SubscribeAck) => void) => void
  unsubscribe: (request: RoomRequest, ack?: (reply: UnsubscribeAck) => void) => void
}

/** server → client */
export interface ServerToClientEvents {
  update: (update: RoomUpdate) => void
  heartbeat: (heartbeat: Heartbeat) => void
  flag: (event: FlagEvent) => void
  /** A planned stop (SIGTERM): the wall shows the reason (服务重启中) until it is live again. */
  closing: (notice: { reason: string }) => void
}
