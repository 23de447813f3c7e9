import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { Socket } from 'socket.io-client'
import { startApp, type RunningApp } from '../app'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { dashboardSchema, type Dashboard, type RoomUpdate, type SubscribeAck } from '../../dashboards/types'
import { defineMetric, type MetricDefinition } from '../metrics/define'
import { metricRegistry } from '../metrics/registry'
import { regionParam } from '../metrics/sql/region'
import { selectOne } from '../metrics/sql/query'
import { C1, C2, detailRow, insertDetails, loadFixture } from '../metrics/test/fixture'
import type { LiveHub } from './hub'
import { attachHub, connect, freePort, nextEvent, sleep, tokenAuth } from './test/helpers'

// Two hubs on one app (one data dir): one holds a long-history panel back by its minRefreshMs,
// the other may start only one room per tick (round robin over the due rooms).
const CITY = '511000'
const TICK_MS = 150
const HISTORY_MS = 3000

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
      { id: 'count', title: '累计发放人次', metric: 'payments.count', kind: 'kpi', grid: grid(0) },
      { id: 'seen', title: '累计笔数', metric: 'test.paymentsSeen', kind: 'kpi', grid: grid(4) },
    ],
  }),
]

const auth = tokenAuth({ 'leader-token': { id: 'u1', name: '市领导', role: 'leader', scope: CITY } })
let app: RunningApp
let deferring: { hub: LiveHub; url: string }
let oneRoomPerTick: { hub: LiveHub; url: string }
const sockets: Socket[] = []
let nextDetail = 100

beforeAll(async () => {
  app = await startApp(testConfig(makeTempDir(), { TICK_MS: String(TICK_MS), PORT: await freePort() }), { auth, rules: false })
  await loadFixture(app.ctx.db)
  deferring = await attachHub(app.ctx, dashboards, { registry, refreshEveryMs: 600_000 })
  oneRoomPerTick = await attachHub(app.ctx, dashboards, { registry, refreshEveryMs: 600_000, tickBudgetMs: 1, roomsInParallel: 1 })
})
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close()
})
afterAll(async () => {
  await deferring?.hub.close()
  await oneRoomPerTick?.hub.close()
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
    // The first computation marked 'seen' just now: new data within HISTORY_MS waits.
    const first = nextEvent<RoomUpdate>(socket, 'update', 5000)
    await ingestOne()
    const kpiUpdate = await first
    expect(kpiUpdate.panels).toEqual({ count: { kind: 'value', value: 8 } })
    expect(kpiUpdate.seq).toBe(ack.seq + 1)
    expect(kpiUpdate.asOf).toBe(new Date('2024-05-08T10:00:00+08:00').toISOString())

    // A snapshot taken meanwhile carries every panel: the held-back one as last computed.
    const again = await subscribed(deferring.url, CITY)
    if (!again.ack.ok) throw new Error('snapshot expected')
    expect(again.ack.panels).toEqual({ count: { kind: 'value', value: 8 }, seen: { kind: 'value', value: 10 } })

    const historyUpdate = await nextEvent<RoomUpdate>(socket, 'update', HISTORY_MS + 5000, (update) => 'seen' in update.panels)
    expect(historyUpdate.panels).toEqual({ seen: { kind: 'value', value: 11 } })
    expect(historyUpdate.seq).toBe(kpiUpdate.seq + 1)
    expect(Date.parse(historyUpdate.computedAt) - Date.parse(ack.computedAt)).toBeGreaterThanOrEqual(HISTORY_MS - 50)
  })
})

describe('bounded ticks', () => {
  it('starts one room per tick when the budget is spent, and reaches every due room in turn', async () => {
    const regions = [CITY, C1, C2]
    const watchers = await Promise.all(regions.map((region) => subscribed(oneRoomPerTick.url, region)))
    await sleep(3 * TICK_MS)
    const ticksAtUpdate = watchers.map(({ socket }) =>
      nextEvent<RoomUpdate>(socket, 'update', 10_000).then(() => oneRoomPerTick.hub.stats().ticks),
    )
    await ingestOne()
    const ticks = await Promise.all(ticksAtUpdate)
    // The 东兴区 payment moves the city's and 东兴区's count; 市中区 only gets its held-back
    // 'seen' panel when due. Each room updates in a tick of its own.
    expect(new Set(ticks).size).toBe(regions.length)
  })
})
