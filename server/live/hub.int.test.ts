import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { Socket } from 'socket.io-client'
import { startApp, type RunningApp } from '../app'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { dashboardSchema, type Dashboard, type FlagEvent, type Heartbeat, type RoomUpdate, type Snapshot, type SubscribeAck } from '../../dashboards/types'
import { defineMetric, type MetricDefinition } from '../metrics/define'
import { metricRegistry } from '../metrics/registry'
import { regionParam } from '../metrics/sql/region'
import { A1, B1, C1, C2, T1, T2, detailRow, insertDetails, loadFixture, type DetailSeed } from '../metrics/test/fixture'
import type { LiveHub } from './hub'
import { attachHub, connect, nextEvent, sleep, waitFor, waitWarm } from './test/helpers'
import { tokenAuth } from '../testing/tokenAuth'

const CITY = '511000'
const TICK_MS = 200

/** A table with a person column (a tiny lookup, LIMIT 3), to check what wall screens receive. */
const latestPayments = defineMetric({
  name: 'test.latestPayments',
  title: '最新发放',
  params: z.object({ region: regionParam }),
  reads: ['payments'],
  personColumns: ['subject'],
  run: async (db) => {
    const result = await db.client.query({
      query: 'SELECT detail_id, id_number FROM payment_detail ORDER BY pay_time DESC, detail_id LIMIT 3',
      format: 'JSONEachRow',
    })
    const rows = await result.json<{ detail_id: string; id_number: string }>()
    return {
      kind: 'table',
      columns: [{ key: 'detail', title: '明细' }, { key: 'subject', title: '对象' }],
      rows: rows.map((row) => ({ detail: row.detail_id, subject: row.id_number })),
    }
  },
})
const registry = new Map<string, MetricDefinition>([...metricRegistry, [latestPayments.name, latestPayments as MetricDefinition]])

const grid = (x: number) => ({ x, y: 0, w: 4, h: 2 })
const testDashboards: Dashboard[] = [
  dashboardSchema.parse({
    id: 'payments',
    title: '发放分析',
    panels: [
      { id: 'total', title: '累计发放金额', metric: 'payments.total', kind: 'kpi', period: 'all', grid: grid(0) },
      { id: 'count', title: '累计发放人次', metric: 'payments.count', kind: 'kpi', period: 'all', grid: grid(4) },
      { id: 'persons', title: '惠及群众', metric: 'payments.persons', kind: 'kpi', period: 'all', grid: grid(8) },
      { id: 'regions', title: '各地区', metric: 'payments.byChildRegion', kind: 'map', period: 'all', grid: grid(12) },
      { id: 'latest', title: '最新发放', metric: 'test.latestPayments', kind: 'table', period: 'all', grid: grid(16) },
    ],
  }),
  dashboardSchema.parse({
    id: 'overview',
    title: '总览',
    panels: [
      { id: 'total', title: '累计发放金额', metric: 'payments.total', kind: 'kpi', period: 'all', grid: grid(0) },
      { id: 'by-month', title: '月度', metric: 'payments.byMonth', params: { months: 3, to: 202405 }, kind: 'line', period: 'all', grid: grid(4) },
      { id: 'chain', title: '资金链条', metric: 'budget.chain', kind: 'funnel', period: 'all', grid: grid(8) },
    ],
  }),
]

const auth = tokenAuth({
  'leader-token': { id: 'u1', name: '市领导', role: 'leader', scope: CITY },
  'county-token': { id: 'u2', name: '市中区财政局', role: 'staff', scope: C1 },
  'wall-token': { id: 'display:1', name: '指挥中心大屏', role: 'wall', scope: CITY },
  'admin-token': { id: 'u9', name: '运维', role: 'admin', scope: CITY },
})

let app: RunningApp
let hub: LiveHub
let hubUrl: string
const sockets: Socket[] = []
let nextDetail = 100

beforeAll(async () => {
  app = await startApp(testConfig(makeTempDir(), { TICK_MS: String(TICK_MS) }), { auth, rules: false })
  await loadFixture(app.ctx.db)
  // The fixture's regions only (the default 89 are the refresh test's): test.latestPayments runs once per room.
  // Query panels take a batch at most every fedEveryMs (10 s by default, its own test in
  // fedWall.int.test.ts): a batch right after another one's could wait out the 10 s these tests
  // give an update, so here the floor is 1 s.
  ;({ hub, url: hubUrl } = await attachHub(app.ctx, testDashboards, { registry, heartbeatMs: 300, refreshEveryMs: 600_000, fedEveryMs: 1000, warmRegions: [CITY, C1, C2, T1, T2] }))
  await waitWarm(app.ctx)
})
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close()
})
afterAll(async () => {
  await hub?.close()
  await app?.close()
})

async function client(token = 'leader-token'): Promise<Socket> {
  const socket = await connect(hubUrl, token)
  sockets.push(socket)
  return socket
}

async function subscribe(socket: Socket, dashboard: string, region: string, event = 'subscribe'): Promise<SubscribeAck> {
  return socket.timeout(20_000).emitWithAck(event, { dashboard, region })
}

async function snapshot(socket: Socket, dashboard: string, region: string): Promise<Snapshot> {
  const ack = await subscribe(socket, dashboard, region)
  if (!ack.ok) throw new Error(`subscribe refused: ${ack.error}`)
  return ack
}

/** Stores payments the way a batch lands, then tells the hub as the ingest endpoint would. */
async function ingest(seeds: Array<Omit<DetailSeed, 'id'>>): Promise<void> {
  await store(seeds)
  announce(seeds.length)
}

async function store(seeds: Array<Omit<DetailSeed, 'id'>>): Promise<void> {
  await insertDetails(app.ctx.db, seeds.map((seed) => detailRow({ ...seed, id: `live-${nextDetail++}` }, 'live-batch')))
}

function announce(rows: number): void {
  for (const listener of app.ctx.onIngest) listener({ feed: 'payments', batchId: 'live-batch', rows, acknowledgedAt: Date.now() })
}

const payment = (at: DetailSeed['at'], amount: number, person = 'p1', payTime = '2024-05-07 10:00:00'): Omit<DetailSeed, 'id'> => ({
  person, at, project: 'P01', status: '成功', amount, payTime, gender: '男', birth: '1950-05-01', bank: '农业银行', voucher: 'V1',
})

function roomComputations(name: string): number {
  return hub.stats().rooms.find((room) => room.room === name)?.computations ?? 0
}

describe('connection and subscription', () => {
  it('refuses a socket without a known token', async () => {
    await expect(connect(hubUrl, 'wrong-token')).rejects.toThrow('unauthorized')
  })

  it('acknowledges a subscription with a snapshot of every panel', async () => {
    const socket = await client()
    const snap = await snapshot(socket, 'payments', CITY)
    expect(snap.room).toBe('payments:511000')
    expect(snap.seq).toBeGreaterThanOrEqual(1)
    expect(snap.panels.total).toEqual({ kind: 'value', value: 4100 })
    expect(snap.panels.count).toEqual({ kind: 'value', value: 7 })
    expect(Object.keys(snap.panels).sort()).toEqual(['count', 'latest', 'persons', 'regions', 'total'])
    expect(snap.asOf).toBe(new Date('2024-05-06T14:10:00+08:00').toISOString())
  })

  it('refuses regions outside the principal scope and malformed requests', async () => {
    const socket = await client('county-token')
    expect(await subscribe(socket, 'payments', C2)).toMatchObject({ ok: false })
    expect(await subscribe(socket, 'payments', CITY)).toMatchObject({ ok: false })
    expect(await subscribe(socket, 'payments', '999999')).toMatchObject({ ok: false })
    expect(await subscribe(socket, 'nonsense', C1)).toMatchObject({ ok: false })
    const own = await snapshot(socket, 'payments', T1)
    expect(own.panels.total).toEqual({ kind: 'value', value: 1700 })
  })
})

describe('updates', () => {
  it('pushes only the changed panels with seq + 1 after an ingest', async () => {
    const socket = await client()
    const before = await snapshot(socket, 'payments', CITY)
    const total = (before.panels.total as { value: number }).value
    const update = nextEvent<RoomUpdate>(socket, 'update')
    await ingest([payment(A1, 250)])
    const received = await update
    expect(received.seq).toBe(before.seq + 1)
    expect(received.panels.total).toEqual({ kind: 'value', value: total + 250 })
    // p1 was already a beneficiary: the person count did not change, so it is not sent again
    expect(received.panels.persons).toBeUndefined()
    expect(received.asOf).toBe(new Date('2024-05-07T10:00:00+08:00').toISOString())
    expect(hub.stats().ingestToScreenMs.count).toBeGreaterThanOrEqual(1)
    // measured, and shown by the pass the batch started (not the minute's clock refresh); speed is the bench's
    expect(hub.stats().ingestToScreenMs.p95).toBeLessThan(10_000)
  })

  it('sends a recomputed room only to an audience that watches it (a packet is encoded before Socket.IO looks for members)', async () => {
    await waitFor(() => hub.stats().idle)
    const socket = await client()
    await snapshot(socket, 'payments', CITY)
    const adapter = hub.io.sockets.adapter
    const targets: string[] = []
    const broadcast = adapter.broadcast.bind(adapter)
    adapter.broadcast = (packet, opts) => {
      if (packet.data?.[0] === 'update') targets.push(...opts.rooms)
      return broadcast(packet, opts)
    }
    try {
      const countyBefore = roomComputations(`payments:${C1}`)
      const update = nextEvent<RoomUpdate>(socket, 'update')
      await ingest([payment(A1, 75)])
      await update
      // the county's room of the theme moved too, with nobody watching it: computed, not sent
      await waitFor(() => roomComputations(`payments:${C1}`) > countyBefore && hub.stats().idle)
      expect(new Set(targets)).toEqual(new Set(['payments:511000']))
    } finally {
      adapter.broadcast = broadcast
    }
  })

  it('sends nothing when recomputed data did not change', async () => {
    await waitFor(() => hub.stats().idle)
    const socket = await client()
    await snapshot(socket, 'payments', CITY)
    const updates: RoomUpdate[] = []
    socket.on('update', (update: RoomUpdate) => updates.push(update))
    const computedBefore = roomComputations('payments:511000')
    const passesBefore = hub.stats().ticks
    hub.markChanged('flags') // no panel of this room reads flags: not even recomputed
    await waitFor(() => hub.stats().ticks > passesBefore && hub.stats().idle)
    expect(roomComputations('payments:511000')).toBe(computedBefore)
    hub.markChanged('payments')
    await waitFor(() => roomComputations('payments:511000') === computedBefore + 1)
    await sleep(TICK_MS)
    expect(roomComputations('payments:511000')).toBe(computedBefore + 1)
    expect(updates).toEqual([])
  })

  it('answers 200 clients over 5 regions from the warm rooms: subscribing computes nothing', async () => {
    const regions = [CITY, C1, C2, T1, T2]
    const rooms = regions.map((region) => `overview:${region}`)
    await waitFor(() => hub.stats().idle)
    const computedBefore = rooms.map(roomComputations)
    const queriesBefore = hub.stats().dbQueries
    const clients = await Promise.all(Array.from({ length: 200 }, () => client()))
    const snaps = await Promise.all(clients.map((socket, i) => snapshot(socket, 'overview', regions[i % 5])))
    expect(rooms.map(roomComputations)).toEqual(computedBefore)
    expect(hub.stats().dbQueries).toBe(queriesBefore)
    expect(snaps[0].panels.chain).toMatchObject({ kind: 'funnel' })

    const updates = clients.map((socket) => nextEvent<RoomUpdate>(socket, 'update'))
    // two batches announced together: one pass computes each room once for both
    await store([payment(A1, 100, 'p1'), payment(B1, 100, 'p3')])
    await store([payment(A1, 100, 'p1')])
    announce(2)
    announce(1)
    const received = await Promise.all(updates)
    await waitFor(() => hub.stats().idle)
    // each pass computed every room once (by-month, held back by its minRefreshMs, may add one more pass)
    const passes = rooms.map((room, i) => roomComputations(room) - computedBefore[i])
    expect(new Set(passes)).toEqual(new Set([passes[0]]))
    expect(passes[0]).toBeGreaterThanOrEqual(1)
    expect(passes[0]).toBeLessThanOrEqual(2)
    expect(received.every((update, i) => update.room === rooms[i % 5] && update.seq === snaps[i].seq + 1)).toBe(true)
    const cityTotal = (snaps[0].panels.total as { value: number }).value
    expect(received[0].panels.total).toEqual({ kind: 'value', value: cityTotal + 300 })
    const totalOf = (i: number) => (snaps[i].panels.total as { value: number }).value
    expect(received[3].panels.total).toEqual({ kind: 'value', value: totalOf(3) + 200 }) // T1 holds A1
    expect(received[4].panels.total).toEqual({ kind: 'value', value: totalOf(4) + 100 }) // T2 holds B1
  }, 60_000)

  it('gives a reconnecting client a fresh snapshot', async () => {
    const first = await client()
    const before = await snapshot(first, 'payments', C2)
    first.close()
    const watcher = await client()
    await snapshot(watcher, 'payments', CITY)
    const moved = nextEvent<RoomUpdate>(watcher, 'update')
    await ingest([payment(B1, 40, 'p3')])
    await moved // the pass that moved the city moved 东兴区 (C2) with it
    const again = await client()
    const after = await snapshot(again, 'payments', C2)
    expect(after.panels.total).toEqual({ kind: 'value', value: (before.panels.total as { value: number }).value + 40 })
    expect(after.seq).toBe(before.seq + 1)
    const asked = await subscribe(again, 'payments', C2, 'snapshot')
    expect(asked).toMatchObject({ ok: true, seq: after.seq, panels: { total: after.panels.total } })
  })

  it('sends heartbeats with the latest seq of each subscribed room', async () => {
    await waitFor(() => hub.stats().idle) // no update still on its way from an earlier test
    const socket = await client()
    const snap = await snapshot(socket, 'payments', CITY)
    const beat = await nextEvent<Heartbeat>(socket, 'heartbeat', 5000, (b) => 'payments:511000' in b.rooms)
    expect(beat.rooms['payments:511000']).toBe(snap.seq)
    expect(Date.parse(beat.serverTime)).toBeGreaterThan(Date.now() - 5000)
  })
})

describe('wall screens and flags', () => {
  it('gives wall principals aggregates only', async () => {
    const wall = await client('wall-token')
    const leader = await client()
    const wallSnap = await snapshot(wall, 'payments', CITY)
    const leaderSnap = await snapshot(leader, 'payments', CITY)
    expect(leaderSnap.panels.latest).toMatchObject({ columns: [{ key: 'detail' }, { key: 'subject' }] })
    expect(wallSnap.panels.latest).toMatchObject({ columns: [{ key: 'detail' }] })
    const wallRows = (wallSnap.panels.latest as { rows: Array<Record<string, unknown>> }).rows
    expect(wallRows.length).toBe(3)
    expect(wallRows.every((row) => !('subject' in row))).toBe(true)
    const wallUpdate = nextEvent<RoomUpdate>(wall, 'update', 10_000, (u) => 'latest' in u.panels)
    await ingest([payment(A1, 10, 'p9', '2024-05-08 10:00:00')])
    const update = await wallUpdate
    expect(update.panels.latest).toBeDefined()
    expect(JSON.stringify(update.panels.latest)).not.toContain('id-p9')
  })

  it('broadcasts flags within scope, without the subject for wall screens', async () => {
    const wall = await client('wall-token')
    const leader = await client()
    const county = await client('county-token')
    const countyFlags: FlagEvent[] = []
    county.on('flag', (event: FlagEvent) => countyFlags.push(event))
    const toWall = nextEvent<FlagEvent>(wall, 'flag')
    const toLeader = nextEvent<FlagEvent>(leader, 'flag')
    hub.broadcastFlags([
      { flagId: 'f1', ruleId: 'R01', ruleName: '死亡后发放', severity: 'critical', regionCode: T2, regionName: '田家镇', amount: 500, subject: '张** 5110**********1234', detectedAt: new Date().toISOString() },
    ])
    expect((await toLeader).subject).toBe('张** 5110**********1234')
    expect((await toWall).subject).toBe('')
    await sleep(200)
    expect(countyFlags).toEqual([])
  })

  it('reports its figures on /api/health', async () => {
    const socket = await client()
    await snapshot(socket, 'overview', CITY)
    const health = await (await fetch(`${app.url}/api/health`, { headers: { authorization: 'Bearer admin-token' } })).json()
    const live = hub.stats()
    expect(live.computations).toBeGreaterThan(0)
    expect(live.warming).toBe(false)
    expect(live.roomCount).toMatchObject({ warm: 5 * testDashboards.length, watched: 1 })
    expect(live.refreshMs.count).toBeGreaterThan(0)
    expect(live.tickComputeMs.overview.count).toBeGreaterThan(0)
    expect(typeof live.dbQueriesPerSec).toBe('number')
    // on /api/health (the hub attached last names the section): figures, and watched rooms one by one
    expect(health.status).toBe('ok')
    expect(health.live.roomCount.warm).toBe(5 * testDashboards.length)
    expect(health.live.rooms.map((room: { room: string }) => room.room)).toEqual(['overview:511000'])
  })
})
