/**
 * Live core figures (issue: a wall never waits), one scale in its own process (chDB binds one data
 * directory per process):
 *   npx tsx scripts/bench/liveCore.ts <rows> [dataDir] [clients]
 * Prints progress on stderr, a table and one JSON line of figures on stdout. `npm run bench` runs it.
 *   - start-up: time until every room (6 themes × 89 regions) is warm, the app's own hub;
 *   - refresh: one pass of every theme for 6 regions and for 89 regions, side by side in one run,
 *     and the same 36 rooms computed room by room (the previous hub's way);
 *   - subscribe → snapshot for each of the 534 rooms;
 *   - ingest → screen at the clients and hub queries/s with 1 and with `clients` sockets.
 */
import { io as connectClient, type Socket } from 'socket.io-client'
import { dashboards } from '../../dashboards'
import { THEME_IDS, type RoomUpdate, type SubscribeAck } from '../../dashboards/types'
import { CITY_CODE, regionsAtLevel } from '../../geo/regions'
import { startApp, type RunningApp } from '../../server/app'
import { loadConfig } from '../../server/config'
import { paymentBatch } from '../../server/ingest/test/fixtures'
import { defaultWarmRegions, type LiveStats } from '../../server/live/hub'
import { MetricMemo } from '../../server/live/memo'
import { countingDb } from '../../server/live/countingDb'
import { tokenAuth } from '../../server/testing/tokenAuth'
import { MetricParamsError, metricRegistry, notApplicable } from '../../server/metrics/registry'
import { percentile } from './percentiles'
import { seedSynthetic } from './seedSynthetic'

const rows = Number(process.argv[2] ?? 300_000)
const dataDir = process.argv[3] ?? `/tmp/ykt-livecore-${rows}`
const manyClients = Number(process.argv[4] ?? 1000)
const TOKEN = 'live-core-bench'
const INGEST_TOKEN = 'live-core-ingest'
const log = (line: string) => console.error(`[live core ${rows.toLocaleString()}] ${line}`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
let batchNo = Math.floor(Math.random() * 5000) * 100

async function open(): Promise<RunningApp> {
  // PORT 0: the system picks a free port as it listens (a port picked beforehand can be taken in
  // between: a random one failed with EADDRINUSE beside 1,000 client sockets)
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO_SEED: 'off', DEMO_FEED: 'off', INGEST_TOKEN })
  const auth = tokenAuth({ [TOKEN]: { id: 'bench', name: 'bench', role: 'leader', scope: CITY_CODE } })
  return startApp(config, { auth, rules: false, log: { info() {}, warn() {}, error: (m) => console.error(m) } })
}

function liveStats(app: RunningApp): LiveStats {
  const entry = app.ctx.healthExtras.map((extra) => extra()).find(([name]) => name === 'live')
  return entry![1] as LiveStats
}

async function waitFor(check: () => boolean, ms = 300_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out')
    await sleep(10)
  }
}

async function main() {
  const seeding = await open()
  await seedSynthetic(seeding.ctx.db, rows, log)
  await seeding.close()

  const started = Date.now()
  const app = await open()
  // Warming 534 rooms at 10M rows on a loaded machine took over 5 minutes: wait up to 30.
  await waitFor(() => !liveStats(app).warming, 1_800_000)
  const warmupMs = Date.now() - started
  log(`${liveStats(app).roomCount.warm} rooms warm ${warmupMs} ms after start`)

  const refresh = await refreshSideBySide(app)
  const subscribeMs = await subscribeEveryRoom(app)
  const one = await ingestToScreen(app, 1)
  const many = await ingestToScreen(app, manyClients)
  await app.close()

  const figures = { rows, warmupMs, refresh, subscribeMs, ingest: { one, many } }
  const ms = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`)
  const table: Array<[string, string]> = [
    [`rows`, rows.toLocaleString()],
    ['all 534 rooms warm after start (≤ 10 s at demo scale)', ms(warmupMs)],
    ['refresh, 6 themes × 6 regions (36 rooms), one pass', ms(refresh.pass6)],
    ['refresh, 6 themes × 89 regions (534 rooms), one pass (≤ 1 s)', ms(refresh.pass89)],
    ['ratio 534-room ÷ 36-room pass (≤ 2)', refresh.ratio.toFixed(2)],
    ['36 rooms room by room (the previous hub)', ms(refresh.roomByRoom36)],
    ['DB queries per pass: 36 rooms / 534 rooms', `${refresh.queries6} / ${refresh.queries89}`],
    ['subscribe → snapshot, 534 rooms p50 / p95 / max (p95 ≤ 20 ms)', `${ms(subscribeMs.p50)} / ${ms(subscribeMs.p95)} / ${ms(subscribeMs.max)}`],
    ['ingest → screen at clients, 1 client p50 / p95', `${ms(one.p50)} / ${ms(one.p95)}`],
    [`ingest → screen at clients, ${manyClients} clients p50 / p95 (≤ 500 ms)`, `${ms(many.p50)} / ${ms(many.p95)}`],
    [`hub DB queries per batch, 1 / ${manyClients} clients (flat)`, `${one.queriesPerBatch} / ${many.queriesPerBatch}`],
  ]
  const width = Math.max(...table.map(([label]) => label.length))
  for (const [label, value] of table) console.log(`${label.padEnd(width)}  ${value}`)
  console.log(JSON.stringify(figures))
}

/** Full passes over every theme, 6 regions and 89 regions alternating, 3 each; median of each. */
async function refreshSideBySide(app: RunningApp) {
  const six = [CITY_CODE, ...regionsAtLevel('county').map((region) => region.code)]
  const all = defaultWarmRegions()
  const counted = countingDb(app.ctx.db)
  const pass = async (regions: string[], batched: boolean) => {
    const memo = new MetricMemo(counted.db, metricRegistry, batched ? regions : [])
    // as the hub does (live/compute.ts): a panel refused for a region (a town's budget) is answered as not applicable
    const run = async (metric: string, params: Record<string, unknown>) => {
      try {
        return await memo.run(metric, params)
      } catch (error) {
        if (error instanceof MetricParamsError) return notApplicable(error)
        throw error
      }
    }
    const before = counted.count()
    const t0 = performance.now()
    for (const dashboard of Object.values(dashboards))
      if (batched) await Promise.all(regions.flatMap((region) => dashboard.panels.map((panel) => run(panel.metric, { ...panel.params, region }))))
      // the previous hub: rooms one after another (two at a time), each with its own queries
      else for (const region of regions) await Promise.all(dashboard.panels.map((panel) => run(panel.metric, { ...panel.params, region })))
    return { ms: performance.now() - t0, queries: counted.count() - before }
  }
  await pass(all, true) // warm the caches of the engine once
  const six_: number[] = []
  const all_: number[] = []
  const byRoom: number[] = []
  let queries6 = 0
  let queries89 = 0
  for (let i = 0; i < 3; i++) {
    const a = await pass(six, true)
    const b = await pass(all, true)
    const c = await pass(six, false)
    six_.push(a.ms)
    all_.push(b.ms)
    byRoom.push(c.ms)
    queries6 = a.queries
    queries89 = b.queries
  }
  const median = (values: number[]) => percentile(values, 50)!
  const figures = { pass6: median(six_), pass89: median(all_), ratio: median(all_) / median(six_), roomByRoom36: median(byRoom), queries6, queries89 }
  log(`refresh: ${JSON.stringify(figures)}`)
  return figures
}

function connect(app: RunningApp): Promise<Socket> {
  const socket = connectClient(app.url, { path: '/socket.io', auth: { token: TOKEN }, transports: ['websocket'], forceNew: true, reconnection: false })
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', reject)
  })
}

async function subscribeEveryRoom(app: RunningApp) {
  const socket = await connect(app)
  const samples: number[] = []
  for (const theme of THEME_IDS)
    for (const region of defaultWarmRegions()) {
      const t0 = performance.now()
      const ack: SubscribeAck = await socket.timeout(60_000).emitWithAck('subscribe', { dashboard: theme, region })
      samples.push(performance.now() - t0)
      if (!ack.ok) throw new Error(`subscribe ${theme} ${region}: ${ack.error}`)
      socket.emit('unsubscribe', { dashboard: theme, region })
    }
  socket.close()
  const figures = { rooms: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95), max: Math.max(...samples) }
  log(`subscribe → snapshot: ${JSON.stringify(figures)}`)
  return figures
}

/** `clients` sockets on the overview of the city and the counties; 8 batches of 200 payments 1.5 s apart. */
async function ingestToScreen(app: RunningApp, clients: number) {
  const regions = [CITY_CODE, ...regionsAtLevel('county').map((region) => region.code)]
  const sockets: Socket[] = []
  const arrivals: number[][] = []
  for (let i = 0; i < clients; i++) {
    const socket = await connect(app)
    const mine: number[] = []
    socket.on('update', (update: RoomUpdate) => {
      if ('total' in update.panels || 'count' in update.panels) mine.push(Date.now())
    })
    const region = clients === 1 ? CITY_CODE : regions[i % regions.length]
    await socket.timeout(60_000).emitWithAck('subscribe', { dashboard: 'overview', region })
    sockets.push(socket)
    arrivals.push(mine)
  }
  await sleep(1000)
  const queriesBefore = liveStats(app).dbQueries
  const acks: number[] = []
  const batches = 8
  for (let i = 0; i < batches; i++) {
    const response = await fetch(`${app.url}/api/ingest/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
      body: JSON.stringify({ batchId: `live-core-${batchNo++}`, records: paymentBatch(batchNo * 20_000, 200) }),
    })
    if (response.status !== 200) throw new Error(`ingest answered ${response.status}`)
    acks.push(Date.now())
    await sleep(1500)
  }
  await sleep(2000)
  const queriesPerBatch = Math.round((liveStats(app).dbQueries - queriesBefore) / batches)
  const samples: number[] = []
  for (const mine of arrivals)
    for (const ack of acks) {
      const first = mine.find((t) => t >= ack)
      if (first !== undefined && first - ack < 10_000) samples.push(first - ack)
    }
  for (const socket of sockets) socket.close()
  const figures = { clients, samples: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95), queriesPerBatch }
  log(`ingest → screen: ${JSON.stringify(figures)}`)
  return figures
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
