/**
 * One scale of the bench in its own process (chDB binds one data directory per process):
 *   npx tsx scripts/bench/runScale.ts <rows> <dataDir>
 * Prints progress on stderr and one JSON line of figures on stdout.
 */
import { io as connectClient, type Socket } from 'socket.io-client'
import { THEME_IDS, type ThemeId } from '../../dashboards/types'
import { dashboards } from '../../dashboards'
import { DATA_KINDS } from '../../server/metrics/define'
import { metricRegistry, runMetric } from '../../server/metrics/registry'
import { countingDb } from '../../server/live/countingDb'
import { paymentBatch } from '../../server/ingest/test/fixtures'
import { seedSynthetic } from './seedSynthetic'
import { BENCH_TOKEN, postPayments, startBenchApp, type BenchApp } from './benchApp'
import { percentile } from './percentiles'

const rows = Number(process.argv[2] ?? 300_000)
const dataDir = process.argv[3] ?? '/tmp/ykt-bench-demo'
const TICK_MS = 1000
const REGIONS = ['511000', '511002', '511011', '511024', '511025', '511083']
const log = (line: string) => console.error(`[bench ${rows.toLocaleString()}] ${line}`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
// Batch numbers keep detail ids and card numbers unique across runs on the same data dir.
let batchNo = Math.floor(Math.random() * 5000) * 100

async function main() {
  let bench = await startBenchApp(dataDir, TICK_MS)
  await seedSynthetic(bench.app.ctx.db, rows, log)
  const figures: Record<string, unknown> = { rows }

  figures.ingestRowsPerSec = await ingestThroughput(bench)
  figures.tickMs = await tickPerTheme(bench)
  figures.fullWallTickMs = await fullWallTick(bench)
  await bench.close()

  bench = await startBenchApp(dataDir, TICK_MS)
  figures.latency1 = await ingestToScreen(bench, 1, 12)
  await bench.close()

  bench = await startBenchApp(dataDir, TICK_MS)
  const many = await ingestToScreen(bench, 500, 12)
  figures.latency500 = many
  figures.baseline = await pollingBaseline(bench, 500, 8000)
  await bench.close()
  console.log(JSON.stringify(figures))
}

/** 5 batches of 10 000 payments through POST /api/ingest/payments. */
async function ingestThroughput(bench: BenchApp): Promise<number> {
  const batches = 5
  const size = 10_000
  const started = performance.now()
  for (let i = 0; i < batches; i++) await postPayments(bench.app, `bench-tp-${batchNo++}`, paymentBatch(batchNo * 20_000, size))
  const perSec = Math.round((batches * size) / ((performance.now() - started) / 1000))
  log(`ingest ${perSec} rows/s`)
  return perSec
}

function connect(url: string): Promise<Socket> {
  const socket = connectClient(url, { path: '/socket.io', auth: { token: BENCH_TOKEN }, transports: ['websocket'], forceNew: true, reconnection: false })
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', reject)
  })
}

async function subscribe(socket: Socket, dashboard: ThemeId, region: string): Promise<void> {
  const ack = await socket.timeout(120_000).emitWithAck('subscribe', { dashboard, region })
  if (!ack.ok) throw new Error(`subscribe ${dashboard} ${region}: ${ack.error}`)
}

function computationsOf(bench: BenchApp, room: string): number {
  return bench.hub.stats().rooms.find((r) => r.room === room)?.computations ?? 0
}

async function waitFor(check: () => boolean, ms = 120_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out')
    await sleep(20)
  }
}

/** Per theme: one city room, every data kind marked changed 8 times, one full recomputation each tick. */
async function tickPerTheme(bench: BenchApp): Promise<Record<string, { p50: number | null; p95: number | null }>> {
  const result: Record<string, { p50: number | null; p95: number | null }> = {}
  for (const theme of THEME_IDS) {
    const socket = await connect(bench.hubUrl)
    await subscribe(socket, theme, '511000')
    const room = `${theme}:511000`
    const samples: number[] = []
    for (let i = 0; i < 8; i++) {
      const before = computationsOf(bench, room)
      for (const kind of DATA_KINDS) bench.hub.markChanged(kind)
      await waitFor(() => computationsOf(bench, room) > before && !bench.hub.stats().rooms.find((r) => r.room === room)!.computing)
      const last = bench.hub.stats().rooms.find((r) => r.room === room)!.computeMs.last
      if (last !== null) samples.push(last)
      await sleep(50)
    }
    socket.close()
    result[theme] = { p50: percentile(samples, 50), p95: percentile(samples, 95) }
    log(`tick ${theme}: p50 ${result[theme].p50} ms, p95 ${result[theme].p95} ms`)
    await sleep(TICK_MS)
  }
  return result
}

/** All 6 themes × 6 regions watched; every kind changed: time from the change to the last room done. */
async function fullWallTick(bench: BenchApp): Promise<{ p50: number | null; p95: number | null; rooms: number }> {
  const sockets = await Promise.all(THEME_IDS.flatMap((theme) => REGIONS.map(async (region) => {
    const socket = await connect(bench.hubUrl)
    await subscribe(socket, theme, region)
    return socket
  })))
  const rooms = THEME_IDS.flatMap((theme) => REGIONS.map((region) => `${theme}:${region}`))
  const samples: number[] = []
  for (let i = 0; i < 5; i++) {
    const before = rooms.map((room) => computationsOf(bench, room))
    const started = Date.now()
    for (const kind of DATA_KINDS) bench.hub.markChanged(kind)
    await waitFor(() => rooms.every((room, j) => computationsOf(bench, room) > before[j] && !bench.hub.stats().rooms.find((r) => r.room === room)!.computing))
    samples.push(Date.now() - started)
    await sleep(200)
  }
  for (const socket of sockets) socket.close()
  const figures = { p50: percentile(samples, 50), p95: percentile(samples, 95), rooms: rooms.length }
  log(`full wall (${rooms.length} rooms, includes waiting for the tick): p50 ${figures.p50} ms, p95 ${figures.p95} ms`)
  return figures
}

/**
 * `clients` sockets spread over 6 themes × 6 regions; `batches` payment batches of 200 rows posted
 * 1.5 s apart. Server side: the hub's own ack → emit figure. Client side: ack → first update
 * arriving afterwards, per client that watches payments.
 */
async function ingestToScreen(bench: BenchApp, clients: number, batches: number) {
  const sockets: Socket[] = []
  const arrivals: number[][] = []
  for (let i = 0; i < clients; i++) {
    const socket = await connect(bench.hubUrl)
    const theme = clients === 1 ? 'overview' : THEME_IDS[i % THEME_IDS.length]
    const region = clients === 1 ? '511000' : REGIONS[Math.floor(i / THEME_IDS.length) % REGIONS.length]
    const mine: number[] = []
    // Only updates carrying a live panel: panels with a minRefreshMs follow new data up to 10 s
    // later by design, and a room whose live panels did not change sends nothing to wait for.
    const live = new Set(dashboards[theme as ThemeId].panels.filter((panel) => !metricRegistry.get(panel.metric)?.minRefreshMs).map((panel) => panel.id))
    socket.on('update', (update: { panels: Record<string, unknown> }) => {
      if (Object.keys(update.panels).some((id) => live.has(id))) mine.push(Date.now())
    })
    sockets.push(socket)
    arrivals.push(mine)
    await subscribe(socket, theme as ThemeId, region)
  }
  const queriesBefore = bench.hub.stats().dbQueries
  const started = Date.now()
  const acks: number[] = []
  for (let i = 0; i < batches; i++) {
    acks.push(await postPayments(bench.app, `bench-live-${batchNo++}`, paymentBatch(batchNo * 20_000, 200)))
    await sleep(1500)
  }
  await sleep(3000)
  const seconds = (Date.now() - started) / 1000
  const hubQueriesPerSec = (bench.hub.stats().dbQueries - queriesBefore) / seconds
  const clientSide: number[] = []
  for (const mine of arrivals)
    for (const ack of acks) {
      const first = mine.find((t) => t >= ack)
      if (first !== undefined && first - ack < 10_000) clientSide.push(first - ack)
    }
  for (const socket of sockets) socket.close()
  const server = bench.hub.stats().ingestToScreenMs
  const figures = {
    clients,
    server: { p50: server.p50, p95: server.p95, samples: server.count },
    client: { p50: percentile(clientSide, 50), p95: percentile(clientSide, 95), samples: clientSide.length },
    hubQueriesPerSec: Math.round(hubQueriesPerSec * 10) / 10,
    rooms: bench.hub.stats().rooms.length,
  }
  log(`ingest→screen with ${clients} clients: ${JSON.stringify(figures)}`)
  return figures
}

/**
 * The alternative the hub replaces: each of `clients` pollers runs its own panels every tick,
 * for `ms`. Demanded = what they ask for; achieved = what the database managed.
 */
async function pollingBaseline(bench: BenchApp, clients: number, ms: number) {
  const counted = countingDb(bench.app.ctx.db)
  const until = Date.now() + ms
  let panelsPerTick = 0
  const pollers = Array.from({ length: clients }, async (_, i) => {
    const theme = THEME_IDS[i % THEME_IDS.length]
    const region = REGIONS[Math.floor(i / THEME_IDS.length) % REGIONS.length]
    const panels = dashboards[theme].panels
    panelsPerTick += panels.length
    while (Date.now() < until) {
      const started = Date.now()
      await Promise.all(panels.map((panel) => runMetric(counted.db, panel.metric, { ...panel.params, region }).catch(() => null)))
      await sleep(Math.max(0, TICK_MS - (Date.now() - started)))
    }
  })
  const started = Date.now()
  await Promise.all(pollers)
  const seconds = (Date.now() - started) / 1000
  const figures = {
    clients,
    demandedQueriesPerSec: Math.round(panelsPerTick / (TICK_MS / 1000)),
    achievedQueriesPerSec: Math.round((counted.count() / seconds) * 10) / 10,
  }
  log(`polling baseline: ${JSON.stringify(figures)}`)
  return figures
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
