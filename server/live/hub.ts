import type http from 'node:http'
import { type Dashboard, type FlagEvent } from '../../dashboards/types'
import { CITY_CODE, regionsAtLevel } from '../../geo/regions'
import type { AppContext, IngestEvent } from '../context'
import type { DataKind } from '../metrics/define'
import { metricRegistry, type MetricRegistry } from '../metrics/registry'
import type { PaymentSums } from '../ingest/paymentSums'
import { kindsForFeed } from './changes'
import { countingDb } from './countingDb'
import { openGateway, type FlagAmountFor, type LiveServer } from './gateway'
import { IngestLatency, type LatencyRing } from './latency'
import { QueryRate } from './queryRate'
import type { LivePanel, Room } from './room'
import { LiveScheduler, type Theme } from './scheduler'
import { wallDataFingerprint } from './wallFingerprint'

export interface LiveHubOptions {
  registry?: MetricRegistry
  heartbeatMs?: number
  /** Every room is recomputed at least this often even without new data: "today" and 序时进度 move with the clock. */
  refreshEveryMs?: number
  /** New data starts a pass this long after it arrives (ms, default 50) instead of at the next interval. */
  changeDebounceMs?: number
  /** Regions kept warm for every theme (default: the city, its counties and towns). */
  warmRegions?: string[]
  /** A clock refresh with no table changed is skipped, but every room is recomputed at least this often (ms, default 10 min). */
  driftCheckMs?: number
  /** New data reaches themes no screen watches at most this often (ms, default 10 s; 0 = every batch). */
  unwatchedEveryMs?: number
  /** Non-additive panels reading payments take new payments at most this often (ms, default 10 s; 0 = every batch). */
  fedEveryMs?: number
}

export interface LiveHub {
  io: LiveServer
  close(): Promise<void>
  /** New flags to the sockets whose scope holds them; `amountFor` fits each one's amount to the socket's scope. */
  broadcastFlags(events: FlagEvent[], amountFor?: FlagAmountFor): void
  /** Rules, ledger and outreach changes that do not come through ingest. */
  markChanged(kind: DataKind): void
  stats(): LiveStats
}

type Summary = ReturnType<LatencyRing['summary']>

export interface LiveStats {
  clients: number
  /** Live sockets against the cap (SOCKET_CAP), and handshakes refused because it was full. */
  sockets: { connected: number; cap: number; refused: number }
  /** True until every warm room has been computed once after start. */
  warming: boolean
  warmupMs: number | null
  /** Nothing computing and nothing due. */
  idle: boolean
  /** The additive figures are held (moved by ingested batches) rather than read by the next pass. */
  additiveHeld: boolean
  /** Ingested batches added to the held additive figures. */
  additiveBatches: number
  /** Drift checks that replaced the held additive figures with a fresh read (every refreshEveryMs while held). */
  additiveRechecks: number
  /** rooms computed by the pushes of batches added to the held figures (only the batches' regions) */
  quickRooms: number
  /** Passes of the scheduler (each computes the due panels of every room). */
  ticks: number
  computations: number
  dbQueries: number
  dbQueriesPerSec: number
  /** Time of a whole pass over every theme and room. */
  refreshMs: Summary
  /** Clock refreshes of a theme skipped because no table (nor the day) changed since its last full computation. */
  refreshesSkipped: number
  ingestToScreenMs: Summary & { unshown: number }
  /** Time to compute one theme for all its rooms, by theme. */
  tickComputeMs: Record<string, Summary>
  roomCount: { total: number; warm: number; watched: number }
  rooms: Array<{ room: string; subscribers: number; seq: number; computations: number; computing: boolean; computeMs: Summary }>
}

/** Every warm region: the city, its 5 counties and 83 towns (villages get a room when watched). */
export function defaultWarmRegions(): string[] {
  return [CITY_CODE, ...regionsAtLevel('county').map((region) => region.code), ...regionsAtLevel('town').map((region) => region.code)]
}

/**
 * The live hub on the app's HTTP server: a scheduler keeps every (theme, region) room warm
 * (scheduler.ts, computing each theme for all regions at once: compute.ts), the rooms hold the
 * last data in memory (room.ts), and the gateway answers sockets from them (gateway.ts).
 */
export function startLiveHub(ctx: AppContext, server: http.Server, dashboards: Dashboard[], options: LiveHubOptions = {}): LiveHub {
  const registry = options.registry ?? metricRegistry
  const counted = countingDb(ctx.db)
  const latency = new IngestLatency()
  const queryRate = new QueryRate(counted.count)

  const gateway = openGateway(
    ctx,
    server,
    {
      room: (theme, region) => scheduler.room(theme, region),
      ensure: (room) => scheduler.ensure(room),
      seqOf: (name) => scheduler.rooms.get(name)?.seq ?? 0,
    },
    { heartbeatMs: options.heartbeatMs ?? 5000 },
  )
  const scheduler: LiveScheduler = new LiveScheduler(
    {
      db: counted.db,
      registry,
      log: ctx.log,
      latency,
      emit: gateway.emitUpdate,
      subscribers: gateway.subscribers,
      ingestWatch: () => ctx.ingestWatch,
      dataFingerprint: () => wallDataFingerprint(counted.db),
    },
    livePanels(ctx, dashboards, registry),
    {
      warmRegions: options.warmRegions ?? defaultWarmRegions(),
      refreshEveryMs: options.refreshEveryMs ?? 60_000,
      changeDebounceMs: options.changeDebounceMs ?? 50,
      tickMs: ctx.config.TICK_MS,
      driftCheckMs: options.driftCheckMs,
      unwatchedEveryMs: options.unwatchedEveryMs,
      fedEveryMs: options.fedEveryMs ?? 10_000,
    },
  )
  scheduler.start()
  // The hub first on the engine lane: background work (rules) waits while a pass is due or running
  // and while an ingest delivery is being stored (its rooms are computed right after).
  const unbusy = [
    ctx.db.lane?.addBusySignal(() => scheduler.busy()),
    ctx.db.lane?.addBusySignal(() => (ctx.ingestWatch?.running ?? 0) > 0),
  ]

  const markChanged = (kind: DataKind) => scheduler.markChanged(kind)
  const onIngest = (event: IngestEvent) => {
    const kinds = kindsForFeed(event.feed)
    if (kinds.length === 0) return
    // Latency is measured on the rooms screens were watching when the batch arrived, and that read it.
    const watched = [...scheduler.rooms.values()].filter(
      (room) => gateway.subscribers(room) > 0 && room.livePanels.some(({ metric }) => kinds.some((kind) => metric.reads.includes(kind))),
    )
    latency.received(event.acknowledgedAt, watched.map((room) => room.name))
    // A payments batch moves the additive figures by its own rows: no re-read of the table.
    const sums = event.feed === 'payments' ? event.payments : undefined
    if (sums) scheduler.additive.apply(sums)
    const regions = sums && batchRegions(sums)
    for (const kind of kinds) scheduler.markChanged(kind, kind === 'payments' && sums !== undefined, regions)
  }
  ctx.onIngest.push(onIngest)

  function roomStats(room: Room) {
    return {
      room: room.name,
      subscribers: gateway.subscribers(room),
      seq: room.seq,
      computations: room.computations,
      computing: room.computing || room.inflight !== undefined,
      computeMs: room.computeMs.summary(),
    }
  }

  function stats(): LiveStats {
    const all = [...scheduler.rooms.values()]
    const rooms = all.map(roomStats)
    return {
      clients: gateway.io.engine.clientsCount,
      sockets: gateway.capacity(),
      warming: scheduler.warming,
      warmupMs: scheduler.warmupMs,
      idle: scheduler.idle(),
      additiveHeld: scheduler.additive.complete,
      additiveBatches: scheduler.additive.applied,
      additiveRechecks: scheduler.additiveRechecks,
      quickRooms: scheduler.quickRooms,
      ticks: scheduler.passes,
      computations: scheduler.computations,
      dbQueries: counted.count(),
      dbQueriesPerSec: queryRate.perSecond(),
      refreshMs: scheduler.passMs.summary(),
      refreshesSkipped: scheduler.refreshesSkipped,
      ingestToScreenMs: { ...latency.ring.summary(), unshown: latency.expired },
      tickComputeMs: scheduler.themeComputeMs(),
      roomCount: { total: rooms.length, warm: all.filter((room) => room.warm).length, watched: rooms.filter((room) => room.subscribers > 0).length },
      rooms,
    }
  }

  // /api/health: the figures, and only the watched rooms one by one (534 warm rooms would drown it).
  const healthExtra = (): [string, unknown] => {
    const { rooms, ...figures } = stats()
    return ['live', { ...figures, rooms: rooms.filter((room) => room.subscribers > 0) }]
  }
  ctx.healthExtras.push(healthExtra)

  function broadcastFlags(events: FlagEvent[], amountFor?: FlagAmountFor): void {
    if (events.length === 0) return
    markChanged('flags')
    gateway.broadcastFlags(events, amountFor)
  }

  async function close(): Promise<void> {
    ctx.onIngest.splice(ctx.onIngest.indexOf(onIngest), 1)
    ctx.healthExtras.splice(ctx.healthExtras.indexOf(healthExtra), 1)
    for (const remove of unbusy) remove?.()
    queryRate.stop()
    await scheduler.close()
    await gateway.close()
  }

  return { io: gateway.io, close, broadcastFlags, markChanged, stats }
}

/** Panels whose metric is registered; the others are left out with one warning at start-up. */
function livePanels(ctx: AppContext, dashboards: Dashboard[], registry: MetricRegistry): Theme[] {
  return dashboards.map((dashboard) => {
    const panels: LivePanel[] = []
    for (const panel of dashboard.panels) {
      const metric = registry.get(panel.metric)
      if (metric) panels.push({ panel, metric })
      else ctx.log.warn(`live: theme ${dashboard.id} panel ${panel.id} names metric ${panel.metric}, which is not registered; left out`)
    }
    return { dashboard, panels }
  })
}

/** The city and every county, town and village a batch paid into (once each). */
function batchRegions(sums: PaymentSums): string[] {
  const regions = new Set<string>([CITY_CODE])
  for (const group of sums.months) {
    regions.add(group.county)
    regions.add(group.town)
    regions.add(group.village)
  }
  return [...regions]
}
