import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { Socket } from 'socket.io-client'
import { startApp, type RunningApp } from '../app'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { dashboardSchema, type Dashboard, type RoomUpdate, type SubscribeAck } from '../../dashboards/types'
import { defineMetric, type MetricDefinition } from '../metrics/define'
import { regionParam } from '../metrics/sql/region'
import { selectOne } from '../metrics/sql/query'
import { loadFixture } from '../metrics/test/fixture'
import type { LiveHub } from './hub'
import { attachHub, connect, sleep, waitFor, waitWarm } from './test/helpers'
import { tokenAuth } from '../testing/tokenAuth'
import { paymentBatch } from '../ingest/test/fixtures'
import { metricRegistry, runMetric } from '../metrics/registry'
import { regionsAtLevel } from '../../geo/regions'

// A wall under a steady feed: the KPIs (additive figures) follow every batch, while a panel that
// needs a query over payments is recomputed at most once per fedEveryMs; and the held additive
// figures are re-read (drift check) beside the feed instead of being dropped, so the KPIs never
// fall back to waiting for the queries.
const CITY = '511000'
const TICK_MS = 100
const FED_MS = 5000

/** Paid rows counted straight from payment_detail: a non-additive panel reading payments, no minRefreshMs. */
const rowsCounted = defineMetric({
  name: 'test.rowsCounted',
  title: '明细行数',
  params: z.object({ region: regionParam }),
  reads: ['payments'],
  run: async (db) => ({
    kind: 'value',
    value: (await selectOne(db, 'SELECT count() AS n FROM payment_detail', {}, z.object({ n: z.coerce.number() }))).n,
  }),
})
const registry = new Map<string, MetricDefinition>([...metricRegistry, [rowsCounted.name, rowsCounted as MetricDefinition]])

const grid = (x: number) => ({ x, y: 0, w: 4, h: 2 })
const dashboards: Dashboard[] = [
  dashboardSchema.parse({
    id: 'payments',
    title: '发放分析',
    panels: [
      { id: 'count', title: '累计发放人次', metric: 'payments.count', kind: 'kpi', period: 'all', grid: grid(0) },
      { id: 'rows', title: '明细行数', metric: 'test.rowsCounted', kind: 'kpi', period: 'all', grid: grid(4) },
    ],
  }),
]

/** A theme whose only panel needs a query (as 政策找人's age pyramid): no additive figure to push. */
const queryOnly: Dashboard = dashboardSchema.parse({
  id: 'outreach',
  title: '政策找人',
  panels: [{ id: 'rows', title: '明细行数', metric: 'test.rowsCounted', kind: 'kpi', period: 'all', grid: grid(0) }],
})

const auth = tokenAuth({ 'leader-token': { id: 'u1', name: '市领导', role: 'leader', scope: CITY } })
let app: RunningApp
const hubs: LiveHub[] = []
const sockets: Socket[] = []
let nextRecord = 700_000
let nextBatch = 0

beforeAll(async () => {
  app = await startApp(testConfig(makeTempDir(), { TICK_MS: String(TICK_MS) }), { auth, rules: false })
  await loadFixture(app.ctx.db)
}, 120_000)
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close()
})
afterAll(async () => {
  for (const hub of hubs) await hub.close()
  await app?.close()
})

async function hubWith(options: Parameters<typeof attachHub>[2], themes = dashboards): Promise<{ hub: LiveHub; url: string }> {
  const attached = await attachHub(app.ctx, themes, { registry, warmRegions: [CITY], ...options })
  hubs.push(attached.hub)
  await waitWarm(app.ctx)
  return attached
}

async function watch(url: string, dashboard = 'payments'): Promise<{ updates: Array<RoomUpdate & { at: number }>; ack: SubscribeAck }> {
  const socket = await connect(url, 'leader-token')
  sockets.push(socket)
  const updates: Array<RoomUpdate & { at: number }> = []
  socket.on('update', (update: RoomUpdate) => updates.push({ ...update, at: Date.now() }))
  const ack: SubscribeAck = await socket.timeout(20_000).emitWithAck('subscribe', { dashboard, region: CITY })
  if (!ack.ok) throw new Error(`subscribe refused: ${ack.error}`)
  return { updates, ack }
}

/** A batch of `rows` paid payments through the ingest route, as a feed sends it. */
async function send(rows: number, payTime?: string): Promise<void> {
  const records = paymentBatch(nextRecord, rows).map((record) => (payTime ? { ...record, pay_time: payTime } : record))
  nextRecord += rows
  const response = await fetch(`${app.url}/api/ingest/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.ctx.config.INGEST_TOKEN}` },
    body: JSON.stringify({ batchId: `fed-${nextBatch++}`, records }),
  })
  expect(response.status).toBe(200)
}

const valueOf = (update: RoomUpdate, panel: string) => (update.panels[panel] as { value: number } | undefined)?.value

describe('a fed wall', () => {
  it('moves the KPIs with every batch and a query panel at most once per fedEveryMs (first batch at once, the rest coalesced)', async () => {
    const { hub, url } = await hubWith({ refreshEveryMs: 600_000, fedEveryMs: FED_MS })
    await waitFor(() => hub.stats().idle && hub.stats().additiveHeld)
    await sleep(FED_MS) // the query panel was last computed longer ago than fedEveryMs
    const { updates } = await watch(url)

    const firstAt = Date.now()
    await send(5)
    await waitFor(() => updates.some((update) => valueOf(update, 'rows') !== undefined), FED_MS - 1000) // the leading edge: at once
    const burst = 6
    for (let i = 0; i < burst; i++) await send(5)
    const span = Date.now() - firstAt
    const expected = ((await runMetric(app.ctx.db, 'test.rowsCounted', { region: CITY }, registry)) as { value: number }).value
    await waitFor(() => updates.some((update) => valueOf(update, 'rows') === expected), FED_MS + 10_000)
    await waitFor(() => hub.stats().idle)

    const rows = updates.filter((update) => valueOf(update, 'rows') !== undefined)
    const counts = updates.filter((update) => valueOf(update, 'count') !== undefined)
    // the query panel: the first batch, then once per FED_MS at most (on the old scheduler: each batch)
    expect(rows.length).toBeGreaterThanOrEqual(2)
    expect(rows.length).toBeLessThanOrEqual(1 + Math.ceil(span / FED_MS))
    for (let i = 1; i < rows.length; i++) expect(Date.parse(rows[i].computedAt) - Date.parse(rows[i - 1].computedAt)).toBeGreaterThanOrEqual(FED_MS - 1000)
    // the KPI: several pushes during the burst, the last one (all batches) long before the query panel caught up
    expect(counts.length).toBeGreaterThanOrEqual(2)
    const lastCount = counts[counts.length - 1]
    expect(lastCount.panels.count).toEqual(await runMetric(app.ctx.db, 'payments.count', { region: CITY }))
    expect(lastCount.at).toBeLessThan(rows[rows.length - 1].at)
  }, 120_000)

  it('keeps the additive figures held through their drift checks while batches keep coming, and equal to the table', async () => {
    const REFRESH_MS = 1500
    const { hub, url } = await hubWith({ refreshEveryMs: REFRESH_MS, fedEveryMs: FED_MS })
    await waitFor(() => hub.stats().idle && hub.stats().additiveHeld)
    const { updates } = await watch(url)
    const rechecksBefore = hub.stats().additiveRechecks
    // a feed for several drift-check intervals, sampling whether the figures stay held
    let dropped = 0
    let samples = 0
    const sampler = setInterval(() => {
      samples += 1
      if (!hub.stats().additiveHeld) dropped += 1
    }, 20)
    const until = Date.now() + 4 * REFRESH_MS
    try {
      while (Date.now() < until) {
        await send(3)
        await sleep(150)
      }
    } finally {
      clearInterval(sampler)
    }
    expect(samples).toBeGreaterThan(10)
    expect(dropped).toBe(0) // the old scheduler dropped them at every refreshEveryMs
    await waitFor(() => hub.stats().additiveRechecks > rechecksBefore, 20_000)
    await waitFor(() => hub.stats().idle)
    const counts = updates.filter((update) => valueOf(update, 'count') !== undefined)
    expect(counts[counts.length - 1].panels.count).toEqual(await runMetric(app.ctx.db, 'payments.count', { region: CITY }))
  }, 120_000)

  it('tells the screens of a theme with no additive panel that a batch arrived (数据截至 moves) long before its query panel is due', async () => {
    const { hub, url } = await hubWith({ refreshEveryMs: 600_000, fedEveryMs: 60_000 }, [...dashboards, queryOnly])
    await waitFor(() => hub.stats().idle && hub.stats().additiveHeld)
    const { updates } = await watch(url, 'outreach')
    await send(3, beijingNow(-120)) // the query panel was just computed: it holds this batch for fedEveryMs
    await waitFor(() => updates.length > 0, 15_000)
    const payTime = beijingNow(-60)
    const paidAt = Date.parse(`${payTime.replace(' ', 'T')}+08:00`)
    const showsBatch = (update: RoomUpdate) => update.asOf !== null && Date.parse(update.asOf) >= paidAt
    await send(3, payTime)
    // the next batch: the query panel waits up to fedEveryMs (60 s); the room's 数据截至 must not
    await waitFor(() => updates.some(showsBatch), 15_000)
    const moved = updates.find(showsBatch)!
    expect(valueOf(moved, 'rows')).toBeUndefined() // the panel's value waits for its query; only the data time moved
  }, 120_000)

  it("pushes a batch to its own regions' rooms only: a county the batch did not touch is not recomputed", async () => {
    const counties = regionsAtLevel('county').map((region) => region.code)
    // (the query panel's own pass after the batch computes every room; it is not a quick push)
    const { hub, url } = await hubWith({ refreshEveryMs: 600_000, fedEveryMs: 1000, warmRegions: [CITY, ...counties] })
    await waitFor(() => hub.stats().idle && hub.stats().additiveHeld)
    const records = paymentBatch(nextRecord, 40)
    nextRecord += 40
    const county = String(records[0].county_code)
    const inOneCounty = records.filter((record) => record.county_code === county)
    const { updates } = await watch(url)
    const before = hub.stats().quickRooms
    const response = await fetch(`${app.url}/api/ingest/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.ctx.config.INGEST_TOKEN}` },
      body: JSON.stringify({ batchId: `fed-${nextBatch++}`, records: inOneCounty }),
    })
    expect(response.status).toBe(200)
    await waitFor(() => hub.stats().quickRooms > before, 15_000)
    await waitFor(() => hub.stats().idle)
    // one theme: the city's room and the batch's county's room, not the other four counties' (old hub: 6)
    expect(hub.stats().quickRooms - before).toBe(2)
    const counts = updates.filter((update) => valueOf(update, 'count') !== undefined)
    expect(counts[counts.length - 1].panels.count).toEqual(await runMetric(app.ctx.db, 'payments.count', { region: CITY }))
  }, 120_000)
})

/** Beijing wall-clock time `offsetSeconds` from now, as the feed writes pay_time. */
function beijingNow(offsetSeconds: number): string {
  return new Date(Date.now() + offsetSeconds * 1000 + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}
