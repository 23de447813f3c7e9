import type http from 'node:http'
import { Server, type Socket } from 'socket.io'
import { socketEvents, roomName, type FlagEvent, type Heartbeat, type PanelData, type RoomUpdate, type SubscribeAck, type ThemeId } from '../../dashboards/types'
import { SOCKETS_FULL, subscribeRequestSchema, type ClientToServerEvents, type ServerToClientEvents, type SocketsFullRefusal } from '../../dashboards/liveContract'
import { inScope, type Principal } from '../access/principal'
import type { AppContext } from '../context'
import { descriptorBudget } from '../descriptors'
import type { Room } from './room'
import { wallRoom } from './wallView'

export interface SocketData {
  principal: Principal
  subscriptions: Set<string>
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>

export interface Gateway {
  io: LiveServer
  /** Sends a room's changed panels: in full to signed-in viewers, aggregates only to wall screens. */
  emitUpdate(room: Room, changed: Record<string, PanelData>): void
  /** Sends new flags to the sockets whose scope holds them; `amountFor` fits the amount to each scope. */
  broadcastFlags(events: FlagEvent[], amountFor?: FlagAmountFor): void
  subscribers(room: Room): number
  /** Sockets held against the cap, and those refused because it was reached (since start). */
  capacity(): { connected: number; cap: number; refused: number }
  close(): Promise<void>
}

/** A flag's amount as a viewer of `scope` may see it (a case can span regions: server/flagPush.ts). */
export type FlagAmountFor = (event: FlagEvent, scope: string) => number | null

/** A refused socket's first retry; the client doubles it (with jitter) while the server stays full. */
const FULL_RETRY_AFTER_MS = 10_000

/**
 * The socket side of the live hub (path /socket.io): who may connect (the access layer), the
 * protocol (dashboards/liveContract.ts), subscriptions answered from the warm rooms, heartbeats
 * and dropping sockets whose credential was revoked. It never queries the database itself.
 */
export function openGateway(
  ctx: AppContext,
  server: http.Server,
  rooms: { room(theme: ThemeId, region: string): Room | undefined; ensure(room: Room): Promise<void>; seqOf(name: string): number },
  options: { heartbeatMs: number; socketCap?: number },
): Gateway {
  const io: LiveServer = new Server(server, { path: '/socket.io', serveClient: false })
  const socketCap = options.socketCap ?? ctx.descriptors?.socketCap ?? descriptorBudget(ctx.config.SOCKET_CAP).socketCap
  let held = 0
  let refusedFull = 0

  io.use((socket, next) => {
    ctx.auth.identifySocket(socket.handshake).then(
      (principal) => {
        if (!principal) return next(new Error('unauthorized'))
        socket.data.principal = principal
        socket.data.subscriptions = new Set()
        next()
      },
      () => next(new Error('unauthorized')),
    )
  })

  /**
   * The socket cap (server/descriptors.ts), checked after sign-in so a refusal goes only to a
   * caller who could otherwise connect. Count and admission happen in one synchronous step (no
   * await in between), so a burst of handshakes cannot overshoot it. A slot is held until the
   * socket disconnects, or its connection closes before the socket ever connected.
   */
  io.use((socket, next) => {
    if (held >= socketCap) {
      refusedFull += 1
      const refusal = new Error(SOCKETS_FULL) as Error & { data: SocketsFullRefusal }
      refusal.data = { code: 'sockets-full', retryAfterMs: FULL_RETRY_AFTER_MS }
      return next(refusal)
    }
    held += 1
    let released = false
    const release = () => {
      if (released) return
      released = true
      held -= 1
    }
    socket.once('disconnect', release)
    socket.conn.once('close', release)
    next()
  })

  io.on('connection', (socket) => {
    const answer = (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return
      subscribe(socket, payload).then(
        (reply) => ack(reply),
        (error) => {
          ctx.log.error(`live subscribe failed: ${error instanceof Error ? error.message.split('\n')[0] : error}`)
          ack({ ok: false, error: '服务暂时不可用' } satisfies SubscribeAck)
        },
      )
    }
    socket.on(socketEvents.subscribe, answer)
    socket.on(socketEvents.snapshot, answer)
    socket.on(socketEvents.unsubscribe, (payload: unknown, ack?: unknown) => {
      const parsed = subscribeRequestSchema.safeParse(payload)
      if (parsed.success) {
        const name = roomName(parsed.data.dashboard, parsed.data.region)
        void socket.leave(name)
        void socket.leave(wallRoom(name))
        socket.data.subscriptions.delete(name)
      }
      if (typeof ack === 'function') ack({ ok: parsed.success })
    })
  })

  async function subscribe(socket: LiveSocket, payload: unknown): Promise<SubscribeAck> {
    const parsed = subscribeRequestSchema.safeParse(payload)
    if (!parsed.success) return { ok: false, error: '订阅参数无效：需要已知的主题和地区代码' }
    const { dashboard, region } = parsed.data
    const { principal } = socket.data
    if (!inScope(principal, region)) return { ok: false, error: '无权查看该地区的数据' }
    const room = rooms.room(dashboard, region)
    if (!room) return { ok: false, error: '该主题未配置' }
    // A warm room answers from memory; only a room not kept warm (or not reached yet at start-up) waits.
    await rooms.ensure(room)
    const isWall = principal.role === 'wall'
    await socket.join(isWall ? wallRoom(room.name) : room.name)
    socket.data.subscriptions.add(room.name)
    return room.snapshot(isWall)
  }

  /**
   * Socket.IO encodes a packet before it looks for the room's members, and of the 534 warm rooms
   * most have no screen: an update goes only to an audience that has one. Safe while this server
   * uses Socket.IO's in-memory adapter (no adapter option above), whose rooms list every member.
   * A cluster adapter (README, Growing past one machine) has members elsewhere: emit to all then.
   */
  function watched(name: string): boolean {
    return (io.sockets.adapter.rooms.get(name)?.size ?? 0) > 0
  }

  function emitUpdate(room: Room, changed: Record<string, PanelData>): void {
    const update: RoomUpdate = { room: room.name, seq: room.seq, asOf: room.asOf, computedAt: room.computedAt!, panels: changed }
    if (watched(room.name)) io.to(room.name).emit(socketEvents.update, update)
    const wall = wallRoom(room.name)
    if (watched(wall)) io.to(wall).emit(socketEvents.update, { ...update, panels: room.forWall(changed) })
  }

  function subscribers(room: Room): number {
    const adapterRooms = io.sockets.adapter.rooms
    return (adapterRooms.get(room.name)?.size ?? 0) + (adapterRooms.get(wallRoom(room.name))?.size ?? 0)
  }

  function capacity() {
    return { connected: held, cap: socketCap, refused: refusedFull }
  }

  const heartbeatTimer = setInterval(() => {
    const serverTime = new Date().toISOString()
    for (const socket of io.sockets.sockets.values()) {
      const subscribed = Object.fromEntries([...(socket.data.subscriptions ?? [])].map((name) => [name, rooms.seqOf(name)]))
      socket.emit(socketEvents.heartbeat, { serverTime, rooms: subscribed } satisfies Heartbeat)
    }
    void dropRevokedSockets()
  }, options.heartbeatMs)

  /**
   * A revoked display token or ended session must not keep an open socket streaming: each
   * heartbeat re-identifies every socket (through the access layer's one-second cache) and
   * disconnects those whose credential no longer holds. Their reconnect is refused at handshake.
   */
  async function dropRevokedSockets(): Promise<void> {
    for (const socket of io.sockets.sockets.values()) {
      const principal = await ctx.auth.identifySocket(socket.handshake).catch(() => undefined)
      if (principal === null) socket.disconnect(true)
    }
  }

  function broadcastFlags(events: FlagEvent[], amountFor?: FlagAmountFor): void {
    for (const socket of io.sockets.sockets.values()) {
      const { principal } = socket.data
      for (const event of events) {
        if (!inScope(principal, event.regionCode)) continue
        const amount = amountFor ? amountFor(event, principal.scope) : event.amount
        socket.emit(socketEvents.flag, { ...event, amount, ...(principal.role === 'wall' ? { subject: '' } : {}) })
      }
    }
  }

  async function close(): Promise<void> {
    clearInterval(heartbeatTimer)
    // io.close() disconnects every socket and closes the HTTP server it is attached to; the
    // app's own server.close() afterwards is then a no-op.
    await io.close()
  }

  return { io, emitUpdate, broadcastFlags, subscribers, capacity, close }
}
