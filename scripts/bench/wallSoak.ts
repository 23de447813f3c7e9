/**
 * `npm run soak -- [minutes]` (default 10): a wall left on. The real server (production build, live
 * hub, rule engine) on a small seeded city with the simulated feed, and one /wall page in Chromium
 * rotating every 5 s (the fastest a playlist allows, so every theme mounts and unmounts hundreds of
 * times). Every 35 s it collects garbage in the page and prints the JS heap, DOM nodes and canvases
 * (ECharts instances); at the end, the heap's growth after the first two minutes, per hour.
 * Needs /usr/bin/chromium and a production build (`npx next build`; `npm test` makes one).
 */
import { makeTempDir } from '../../server/testing/tempDb'
import { startSimulatedFeed } from '../../server/simulate/feed'
import { launchBrowser, requireProductionBuild, startDemoServer } from '../../tests/browser/harness'

const minutes = Number(process.argv[2] ?? 10)
// not a multiple of the 30 s playlist (6 themes × 5 s), so samples fall on different themes
const SAMPLE_MS = 35_000

requireProductionBuild()
const server = await startDemoServer(makeTempDir('ykt-soak-'))
const { config, db } = server.app.ctx
const feed = startSimulatedFeed({ db, url: server.app.url, token: config.INGEST_TOKEN, ratePerSec: 5, log: { info() {}, warn: console.warn, error: console.error } })
const browser = await launchBrowser(['--js-flags=--expose-gc'])
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
const errors: string[] = []
page.on('pageerror', (error) => errors.push(error.message))
await page.goto(`${server.app.url}/wall?token=${server.wallToken}&kiosk&dwell=5`)

type Sample = { minute: number; heapMb: number; nodes: number; canvases: number }
const samples: Sample[] = []
const started = Date.now()
console.log('minute  heap MB  DOM nodes  canvases')
while (Date.now() - started < minutes * 60_000) {
  await page.waitForTimeout(SAMPLE_MS)
  const sample = await page.evaluate(() => {
    ;(window as unknown as { gc?: () => void }).gc?.()
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
    return { heap: memory?.usedJSHeapSize ?? 0, nodes: document.getElementsByTagName('*').length, canvases: document.querySelectorAll('canvas').length }
  })
  const row = { minute: (Date.now() - started) / 60_000, heapMb: sample.heap / 2 ** 20, nodes: sample.nodes, canvases: sample.canvases }
  samples.push(row)
  console.log(`${row.minute.toFixed(1).padStart(6)}  ${row.heapMb.toFixed(1).padStart(7)}  ${String(row.nodes).padStart(9)}  ${String(row.canvases).padStart(8)}`)
}

const settled = samples.filter((s) => s.minute >= 2)
if (settled.length >= 2) {
  const first = settled[0]
  const last = settled[settled.length - 1]
  const perHour = ((last.heapMb - first.heapMb) / (last.minute - first.minute)) * 60
  console.log(`heap ${first.heapMb.toFixed(1)} MB at minute ${first.minute.toFixed(1)} → ${last.heapMb.toFixed(1)} MB at ${last.minute.toFixed(1)}: ${perHour >= 0 ? '+' : ''}${perHour.toFixed(1)} MB per hour; max ${Math.max(...samples.map((s) => s.heapMb)).toFixed(1)} MB`)
}
console.log(`page errors: ${errors.length}${errors.length ? ` (first: ${errors[0].slice(0, 200)})` : ''}`)
feed.stop()
await browser.close()
await server.close()
