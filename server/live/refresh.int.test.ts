import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { Socket } from 'socket.io-client'
import { startApp, type RunningApp } from '../app'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { dashboardSchema, type Dashboard, type RoomUpdate, type SubscribeAck } from '../../dashboards/types'
import { defineMetric, type MetricDefinition } from '../metrics/define'
import { regionParam } from '../metrics/sql/region'
import { selectOne } from '../metrics/sql/query'
import { C2, detailRow, insertDetails, loadFixture } from '../metrics/test/fixture'
import type { LiveHub } from './hub'
import { attachHub, connect, nextEvent, sleep, waitFor, waitWarm } from './test/helpers'
import { tokenAuth } from '../testing/tokenAuth'
import { paymentBatch } from '../ingest/test/fixtures'
import { metricRegistry, runMetric } from '../metrics/registry'

// A hub on the app's data dir: it holds a long-history panel back by its minRefreshMs, and keeps
// rooms warm that nobody watches.
const CITY = '511000'
const TICK_MS = 150
const HISTORY_MS = 6000

/** Payments of the region counted straight from payment_detail: a "long history" panel with a minRefreshMs. */
const paymentsSeen = defineMetric({
  name: 'test.paymentsSeen',
  title: '累计笔数（慢）',
  params: z.object({ region: regionParam }),
  reads: ['payments'],
  minRefreshMs: HISTORY_MS,
  run: async (db) => ({
    kind: 'value',
    value: (await selectOne(db, 'SELECT count() AS n FROM payment_detail', {}, z.object({ n: z.coerce.number() }))).n,
  }),
})
const registry = new Map<string, MetricDefinition>([...metricRegistry, [paymentsSeen.name, paymentsSeen as MetricDefinition]])

const grid = (x: number) => ({ x, y: 0, w: 4, h: 2 })
const dashboards: Dashboard[] = [
  dashboardSchema.parse({
    id: 'payments',
    title: '发放分析',
    panels: [
      { id: 'count', title: '累计发放人次', metric: 'payments.count', kind: 'kpi', period: 'all', grid: grid(0) },
      { id: 'seen', title: '累计笔数', metric: 'test.paymentsSeen', kind: 'kpi', period: 'all', grid: grid(4) },
    ],
  }),
]

const auth = tokenAuth({ 'leader-token': { id: 'u1', name: '市领导', role: 'leader', scope: CITY } })
let app: RunningApp
let deferring: { hub: LiveHub; url: string }
const sockets: Socket[] = []
let nextDetail = 100

beforeAll(async () => {
  app = await startApp(testConfig(makeTempDir(), { TICK_MS: String(TICK_MS) }), { auth, rules: false })
  await loadFixture(app.ctx.db)
  deferring = await attachHub(app.ctx, dashboards, { registry, refreshEveryMs: 600_000 })
  await waitWarm(app.ctx)
})
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close()
})
afterAll(async () => {
  await deferring?.hub.close()
  await app?.close()
})

async function subscribed(url: string, region: string): Promise<{ socket: Socket; ack: SubscribeAck }> {
  const socket = await connect(url, 'leader-token')
  sockets.push(socket)
  const ack: SubscribeAck = await socket.timeout(20_000).emitWithAck('subscribe', { dashboard: 'payments', region })
  if (!ack.ok) throw new Error(`subscribe refused: ${ack.error}`)
  return { socket, ack }
}

/** One paid payment in 东兴区 (B1), stored, then announced as the ingest endpoint would. */
async function ingestOne(): Promise<void> {
  const seed = { id: `r-${nextDetail++}`, person: 'p9', at: '511011100001', project: 'P20', status: '成功', amount: 10, payTime: '2024-05-08 10:00:00', gender: '女', birth: '1980-01-01', bank: '农业银行', voucher: 'V2' } as const
  await insertDetails(app.ctx.db, [detailRow(seed, 'refresh-batch')])
  for (const listener of app.ctx.onIngest) listener({ feed: 'payments', batchId: 'refresh-batch', rows: 1, acknowledgedAt: Date.now() })
}

describe('minRefreshMs', () => {
  it('updates KPIs at once and a long-history panel when it is due, with complete snapshots meanwhile', async () => {
    const { socket, ack } = await subscribed(deferring.url, CITY)
    if (!ack.ok) throw new Error('snapshot expected')
    expect(ack.panels).toEqual({ count: { kind: 'value', value: 7 }, seen: { kind: 'value', value: 10 } })
    // The first batch brings 'seen' up to date (at once, or when due after the start-up pass).
    const caughtUp = nextEvent<RoomUpdate>(socket, 'update', HISTORY_MS + 5000, (update) => 'seen' in update.panels)
    await ingestOne()
    const seenUpdate = await caughtUp
    expect(seenUpdate.panels.seen).toEqual({ kind: 'value', value: 11 })

    // 'seen' was computed just now: a second batch within HISTORY_MS moves the KPI only.
    const first = nextEvent<RoomUpdate>(socket, 'update', 5000)
    await ingestOne()
    const kpiUpdate = await first
    expect(kpiUpdate.panels).toEqual({ count: { kind: 'value', value: 9 } })
    expect(kpiUpdate.asOf).toBe(new Date('2024-05-08T10:00:00+08:00').toISOString())

    // A snapshot taken meanwhile carries every panel: the held-back one as last computed.
    const again = await subscribed(deferring.url, CITY)
    if (!again.ack.ok) throw new Error('snapshot expected')
    expect(again.ack.panels).toEqual({ count: { kind: 'value', value: 9 }, seen: { kind: 'value', value: 11 } })

    const historyUpdate = await nextEvent<RoomUpdate>(socket, 'update', HISTORY_MS + 5000, (update) => 'seen' in update.panels)
    expect(historyUpdate.panels).toEqual({ seen: { kind: 'value', value: 12 } })
    expect(historyUpdate.seq).toBe(kpiUpdate.seq + 1)
    // Held back: the KPI moved at once, the history panel only HISTORY_MS after it was last computed
    // (counted from that pass's start, a moment before its computedAt).
    const sinceSeen = (update: RoomUpdate) => Date.parse(update.computedAt) - Date.parse(seenUpdate.computedAt)
    expect(sinceSeen(kpiUpdate)).toBeLessThan(HISTORY_MS - 1500)
    expect(sinceSeen(historyUpdate)).toBeGreaterThanOrEqual(HISTORY_MS - 1500)
  })
})

describe('warm rooms', () => {
  it('keeps rooms nobody watches current and answers their subscription from memory', async () => {
    const watcher = await subscribed(deferring.url, CITY)
    const update = nextEvent<RoomUpdate>(watcher.socket, 'update', 10_000, (u) => 'count' in u.panels)
    await ingestOne() // 东兴区 (C2): nobody watches payments:511011
    const cityCount = ((await update).panels.count as { value: number }).value
    await sleep(300)
    const queriesBefore = deferring.hub.stats().dbQueries
    const { ack } = await subscribed(deferring.url, C2)
    if (!ack.ok) throw new Error('snapshot expected')
    expect(deferring.hub.stats().dbQueries).toBe(queriesBefore)
    expect(ack.panels.count).toEqual({ kind: 'value', value: cityCount - 4 }) // 市中区 (C1) holds 4 of the city's paid payments
    expect(deferring.hub.stats().roomCount).toMatchObject({ warm: 89 })
  })
})

describe('a batch through the ingest route', () => {
  it('moves the held additive figures by its own rows, exactly as a re-read would', async () => {
    const watcher = await subscribed(deferring.url, CITY)
    await waitFor(() => deferring.hub.stats().idle && deferring.hub.stats().additiveHeld)
    const before = (await subscribed(deferring.url, CITY)).ack
    if (!before.ok) throw new Error('snapshot expected')
    const update = nextEvent<RoomUpdate>(watcher.socket, 'update', 10_000, (u) => 'count' in u.panels)
    const appliedBefore = deferring.hub.stats().additiveBatches
    const records = paymentBatch(900_000, 25) // all 成功
    const response = await fetch(`${app.url}/api/ingest/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.ctx.config.INGEST_TOKEN}` },
      body: JSON.stringify({ batchId: 'route-batch-1', records }),
    })
    expect(response.status).toBe(200)
    const moved = await update
    expect(moved.panels.count).toEqual({ kind: 'value', value: (before.panels.count as { value: number }).value + 25 })
    // added to the held figures (not dropped for a re-read), and equal to what the table says
    expect(deferring.hub.stats().additiveBatches).toBe(appliedBefore + 1)
    const fromTable = await runMetric(app.ctx.db, 'payments.count', { region: CITY })
    expect(moved.panels.count).toEqual(fromTable)
  })
})

