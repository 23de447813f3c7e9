import type http from 'node:http'
import { Server, type Socket } from 'socket.io'
import { z } from 'zod'
import { isKnownRegion } from '../../geo/regions'
import {
  roomName,
  socketEvents,
  THEME_IDS,
  type Dashboard,
  type FlagEvent,
  type Heartbeat,
  type PanelData,
  type RoomUpdate,
  type Snapshot,
  type SubscribeAck,
  type ThemeId,
} from '../../dashboards/types'
import { inScope, type Principal } from '../access/principal'
import type { AppContext, IngestEvent } from '../context'
import type { DataKind } from '../metrics/define'
import { metricRegistry, type MetricRegistry } from '../metrics/registry'
import { ChangeClock, kindsForFeed } from './changes'
import { countingDb } from './countingDb'
import { IngestLatency, LatencyRing } from './latency'
import { MetricMemo } from './memo'
import { Room, type LivePanel } from './room'
import { wallRoom, withoutPersonColumns } from './wallView'

export interface LiveHubOptions {
  registry?: MetricRegistry
  heartbeatMs?: number
  /** Rooms are recomputed at least this often even without new data: "today" and 序时进度 move with the clock. */
  refreshEveryMs?: number
  /** A tick starts no new room after this long (ms); default TICK_MS, at least 1 s. */
  tickBudgetMs?: number
  /** Rooms computed at once in a tick (default 2). */
  roomsInParallel?: number
  /** New data starts a tick this long after it arrives (ms, default 50) instead of at the next interval. */
  changeDebounceMs?: number
}

export interface LiveHub {
  io: Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>
  close(): Promise<void>
  broadcastFlags(events: FlagEvent[]): void
  /** Rules, ledger and outreach changes that do not come through ingest. */
  markChanged(kind: DataKind): void
  stats(): LiveStats
}

export interface LiveStats {
  clients: number
  ticks: number
  computations: number
  dbQueries: number
  ingestToScreenMs: ReturnType<LatencyRing['summary']> & { unshown: number }
  /** Per-room computation time in ticks, by theme. */
  tickComputeMs: Record<string, ReturnType<LatencyRing['summary']>>
  rooms: Array<{ room: string; subscribers: number; seq: number; computations: number; computing: boolean; computeMs: ReturnType<LatencyRing['summary']> }>
}

interface ServerToClient {
  update: (update: RoomUpdate) => void
  heartbeat: (heartbeat: Heartbeat) => void
  flag: (event: FlagEvent) => void
}

interface ClientToServer {
  subscribe: (payload: unknown, ack: unknown) => void
  snapshot: (payload: unknown, ack: unknown) => void
  unsubscribe: (payload: unknown, ack?: unknown) => void
}

type HubSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, SocketData>

interface SocketData {
  principal: Principal
  subscriptions: Set<string>
}

const subscribeRequest = z
  .object({ dashboard: z.enum(THEME_IDS), region: z.string().refine(isKnownRegion) })
  .strict()

/**
 * The Socket.IO hub on the app's HTTP server (path /socket.io). Screens subscribe to a
 * (dashboard, region) room; each tick recomputes every watched room whose data changed, once,
 * and pushes only the panels that differ from what was sent.
 */
export function startLiveHub(ctx: AppContext, server: http.Server, dashboards: Dashboard[], options: LiveHubOptions = {}): LiveHub {
  const registry = options.registry ?? metricRegistry
  const counted = countingDb(ctx.db)
  const memo = new MetricMemo(counted.db, registry)
  const clock = new ChangeClock()
  const latency = new IngestLatency()
  const tickComputeMs = new Map<string, LatencyRing>()
  const rooms = new Map<string, Room>()
  const panelsByTheme = livePanels(ctx, dashboards, registry)
  let ticks = 0
  let computations = 0
  let ticking = false
  let closed = false

  const io = new Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>(server, {
    path: '/socket.io',
    serveClient: false,
  })

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
    // A client that saw a seq gap asks again for the whole room.
    socket.on(socketEvents.snapshot, answer)
    socket.on(socketEvents.unsubscribe, (payload: unknown, ack?: unknown) => {
      const parsed = subscribeRequest.safeParse(payload)
      if (parsed.success) {
        const name = roomName(parsed.data.dashboard, parsed.data.region)
        void socket.leave(name)
        void socket.leave(wallRoom(name))
        socket.data.subscriptions.delete(name)
      }
      if (typeof ack === 'function') ack({ ok: parsed.success })
    })
  })

  async function subscribe(socket: HubSocket, payload: unknown): Promise<SubscribeAck> {
    const parsed = subscribeRequest.safeParse(payload)
    if (!parsed.success) return { ok: false, error: '订阅参数无效：需要已知的主题和地区代码' }
    const { dashboard, region } = parsed.data
    const { principal } = socket.data
    if (!inScope(principal, region)) return { ok: false, error: '无权查看该地区的数据' }
    const room = roomFor(dashboard, region)
    if (!room) return { ok: false, error: '该主题未配置' }
    if (room.inflight) await room.inflight
    else if (!room.computedAt || clock.changedSince(room.seen, room.reads)) await refresh(room, 'subscribe')
    const isWall = principal.role === 'wall'
    await socket.join(isWall ? wallRoom(room.name) : room.name)
    socket.data.subscriptions.add(room.name)
    return snapshotOf(room, isWall)
  }

  function roomFor(dashboard: ThemeId, region: string): Room | undefined {
    const name = roomName(dashboard, region)
    let room = rooms.get(name)
    const theme = panelsByTheme.get(dashboard)
    if (!room && theme) rooms.set(name, (room = new Room(theme.dashboard, region, theme.panels)))
    return room
  }

  function snapshotOf(room: Room, forWall: boolean): Snapshot {
    return {
      ok: true,
      room: room.name,
      seq: room.seq,
      asOf: room.asOf,
      computedAt: room.computedAt ?? new Date().toISOString(),
      panels: forWall ? wallPanels(room, room.panels) : { ...room.panels },
    }
  }

  function wallPanels(room: Room, panels: Record<string, PanelData>): Record<string, PanelData> {
    const metricOf = new Map(room.livePanels.map((live) => [live.panel.id, live.metric]))
    return Object.fromEntries(Object.entries(panels).map(([id, data]) => [id, withoutPersonColumns(data, metricOf.get(id)?.personColumns)]))
  }

  function refresh(room: Room, reason: 'tick' | 'subscribe' | 'clock'): Promise<void> {
    room.inflight ??= compute(room, reason).finally(() => {
      room.inflight = undefined
    })
    return room.inflight
  }

  async function compute(room: Room, reason: 'tick' | 'subscribe' | 'clock'): Promise<void> {
    const startedAt = Date.now()
    const seenBefore = room.seen
    room.seen = clock.now()
    room.computations += 1
    computations += 1
    const results: Record<string, PanelData> = {}
    await Promise.all(
      room.livePanels.map(async ({ panel, metric }) => {
        const shown = panel.id in room.panels
        // A payments batch leaves the room's flag and ledger panels as they were: skip them
        // (unless the clock moved on, for "today" and 序时进度).
        const stale = reason === 'clock' || !shown || room.deferred.has(panel.id) || clock.changedSince(seenBefore, metric.reads)
        if (!stale) return
        // Long-history panels follow new data at most every minRefreshMs; until then the room
        // keeps (and snapshots still carry) what was last computed, and the tick comes back for them.
        const dueAt = (room.panelComputedAt.get(panel.id) ?? 0) + (metric.minRefreshMs ?? 0)
        if (shown && reason !== 'clock' && startedAt < dueAt) {
          room.deferred.set(panel.id, dueAt)
          return
        }
        room.deferred.delete(panel.id)
        room.panelComputedAt.set(panel.id, startedAt)
        try {
          results[panel.id] = await memo.run(panel.metric, { ...panel.params, region: room.region })
        } catch (error) {
          logOnce(room, `panel ${panel.id} (${panel.metric})`, error)
        }
      }),
    )
    try {
      room.asOf = await memo.asOf(room.region)
    } catch (error) {
      logOnce(room, 'asOf', error)
    }
    const changed = room.absorb(results)
    const finishedAt = Date.now()
    room.computeMs.add(finishedAt - startedAt)
    if (reason !== 'subscribe') ringFor(tickComputeMs, room.dashboard.id).add(finishedAt - startedAt)
    room.computedAtMs = finishedAt
    room.computedAt = new Date(finishedAt).toISOString()
    const emitted = Object.keys(changed).length > 0
    if (emitted) {
      room.seq += 1
      const update: RoomUpdate = { room: room.name, seq: room.seq, asOf: room.asOf, computedAt: room.computedAt, panels: changed }
      io.to(room.name).emit(socketEvents.update, update)
      io.to(wallRoom(room.name)).emit(socketEvents.update, { ...update, panels: wallPanels(room, changed) })
    }
    latency.computed(room.name, startedAt, emitted)
  }

  function logOnce(room: Room, what: string, error: unknown): void {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    const key = `${what}: ${message}`
    if (room.loggedErrors.has(key)) return
    room.loggedErrors.add(key)
    ctx.log.warn(`live room ${room.name}: ${key}`)
  }

  function subscribers(room: Room): number {
    const adapterRooms = io.sockets.adapter.rooms
    return (adapterRooms.get(room.name)?.size ?? 0) + (adapterRooms.get(wallRoom(room.name))?.size ?? 0)
  }

  const refreshEveryMs = options.refreshEveryMs ?? 60_000
  const tickBudgetMs = options.tickBudgetMs ?? Math.max(ctx.config.TICK_MS, 1000)
  const roomsInParallel = options.roomsInParallel ?? 2
  async function tick(): Promise<void> {
    if (ticking) return // the previous tick is still computing: skip rather than pile up
    ticking = true
    ticks += 1
    memo.clear()
    let roomsLeft = false
    try {
      const startedAt = Date.now()
      const due = dueRooms(startedAt)
      // chDB answers one query at a time: a few rooms at once (not all) finish one after another,
      // so the first screens update early instead of every room at the end. A tick stops starting
      // rooms after tickBudgetMs; the rest stay due and go first next tick (oldest first).
      let next = 0
      const worker = async () => {
        while (next < due.length && (next === 0 || Date.now() - startedAt < tickBudgetMs)) {
          const { room, reason } = due[next++]
          await refresh(room, reason)
        }
      }
      await Promise.all(Array.from({ length: roomsInParallel }, worker))
      roomsLeft = next < due.length
      latency.expire()
    } finally {
      ticking = false
      // Rooms left by the budget go on after a short pause, not at the next interval.
      if (changedDuringTick || roomsLeft) {
        changedDuringTick = false
        tickSoon()
      }
    }
  }

  /**
   * New data starts a tick after a short debounce (a burst of batches makes one tick) rather than
   * waiting up to TICK_MS for the interval: that wait was most of ingest→screen. Ticks never
   * overlap: data arriving during a tick, or rooms a tick's budget left, start the next one
   * right after it (the debounce lets ingest and subscriptions in between).
   */
  const changeDebounceMs = options.changeDebounceMs ?? 50
  let soonTimer: ReturnType<typeof setTimeout> | undefined
  let changedDuringTick = false
  function tickSoon(): void {
    if (closed) return
    if (ticking) {
      changedDuringTick = true
      return
    }
    soonTimer ??= setTimeout(() => {
      soonTimer = undefined
      void tick()
    }, changeDebounceMs)
  }

  /** Watched rooms to recompute: new data first, then panels held back or the clock; oldest first within each. */
  function dueRooms(now: number): Array<{ room: Room; reason: 'tick' | 'clock' }> {
    const due: Array<{ room: Room; reason: 'tick' | 'clock'; rank: number }> = []
    for (const room of rooms.values()) {
      if (subscribers(room) === 0) continue
      const changed = clock.changedSince(room.seen, room.reads)
      const clockDue = now - room.computedAtMs >= refreshEveryMs
      if (changed || clockDue || room.hasDueDeferred(now)) due.push({ room, reason: clockDue ? 'clock' : 'tick', rank: changed ? 0 : 1 })
    }
    return due.sort((a, b) => a.rank - b.rank || a.room.computedAtMs - b.room.computedAtMs)
  }
  const tickTimer = setInterval(() => void tick(), ctx.config.TICK_MS)

  const heartbeatTimer = setInterval(() => {
    const serverTime = new Date().toISOString()
    for (const socket of io.sockets.sockets.values()) {
      const subscribed = Object.fromEntries([...(socket.data.subscriptions ?? [])].map((name) => [name, rooms.get(name)?.seq ?? 0]))
      socket.emit(socketEvents.heartbeat, { serverTime, rooms: subscribed } satisfies Heartbeat)
    }
    void dropRevokedSockets()
  }, options.heartbeatMs ?? 5000)

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

  const markChanged = (kind: DataKind) => {
    clock.mark(kind)
    memo.clear()
    tickSoon()
  }
  const onIngest = (event: IngestEvent) => {
    const kinds = kindsForFeed(event.feed)
    if (kinds.length === 0) return
    // Latency is measured on the rooms screens were watching when the batch arrived, and that read it.
    const watched = [...rooms.values()].filter((room) => subscribers(room) > 0 && kinds.some((kind) => room.reads.has(kind)))
    latency.received(event.acknowledgedAt, watched.map((room) => room.name))
    kinds.forEach(markChanged)
  }
  ctx.onIngest.push(onIngest)

  function stats(): LiveStats {
    return {
      clients: io.engine.clientsCount,
      ticks,
      computations,
      dbQueries: counted.count(),
      ingestToScreenMs: { ...latency.ring.summary(), unshown: latency.expired },
      tickComputeMs: Object.fromEntries([...tickComputeMs].map(([theme, ring]) => [theme, ring.summary()])),
      rooms: [...rooms.values()].map((room) => ({
        room: room.name,
        subscribers: subscribers(room),
        seq: room.seq,
        computations: room.computations,
        computing: room.inflight !== undefined,
        computeMs: room.computeMs.summary(),
      })),
    }
  }
  const healthExtra = (): [string, unknown] => ['live', stats()]
  ctx.healthExtras.push(healthExtra)

  function broadcastFlags(events: FlagEvent[]): void {
    if (events.length === 0) return
    markChanged('flags')
    for (const socket of io.sockets.sockets.values()) {
      const { principal } = socket.data
      for (const event of events) {
        if (!inScope(principal, event.regionCode)) continue
        socket.emit(socketEvents.flag, principal.role === 'wall' ? { ...event, subject: '' } : event)
      }
    }
  }

  async function close(): Promise<void> {
    closed = true
    clearTimeout(soonTimer)
    clearInterval(tickTimer)
    clearInterval(heartbeatTimer)
    ctx.onIngest.splice(ctx.onIngest.indexOf(onIngest), 1)
    ctx.healthExtras.splice(ctx.healthExtras.indexOf(healthExtra), 1)
    await Promise.all([...rooms.values()].map((room) => room.inflight))
    // io.close() disconnects every socket and closes the HTTP server it is attached to; the
    // app's own server.close() afterwards is then a no-op.
    await io.close()
  }

  return { io, close, broadcastFlags, markChanged, stats }
}

function ringFor(rings: Map<string, LatencyRing>, key: string): LatencyRing {
  let ring = rings.get(key)
  if (!ring) rings.set(key, (ring = new LatencyRing(500)))
  return ring
}

/** Panels whose metric is registered; the others are left out with one warning at start-up. */
function livePanels(ctx: AppContext, dashboards: Dashboard[], registry: MetricRegistry): Map<string, { dashboard: Dashboard; panels: LivePanel[] }> {
  const themes = new Map<string, { dashboard: Dashboard; panels: LivePanel[] }>()
  for (const dashboard of dashboards) {
    const panels: LivePanel[] = []
    for (const panel of dashboard.panels) {
      const metric = registry.get(panel.metric)
      if (metric) panels.push({ panel, metric })
      else ctx.log.warn(`live: theme ${dashboard.id} panel ${panel.id} names metric ${panel.metric}, which is not registered; left out`)
    }
    themes.set(dashboard.id, { dashboard, panels })
  }
  return themes
}
