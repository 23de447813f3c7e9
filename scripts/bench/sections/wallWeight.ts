import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { round } from '../stats'
import { kb, pageWeight, type PageWeight } from '../wallWeight'
import { ratio, type BenchSection, type Figure } from './types'

/** Same binary and switches as the browser tests (tests/browser/harness.ts). */
const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

interface Load {
  /** navigation start → first ECharts canvas painted (ms, the page's own clock) */
  firstChartMs: number
  /** navigation start → the county map's paths in the DOM */
  mapMs: number | null
  /** scripts finished by the first chart: count and bytes as transferred (encoded body) */
  scriptsByFirstChart: number
  scriptBytesByFirstChart: number
  /** the same over the whole load (after the map and every chart of the theme) */
  scripts: number
  scriptBytes: number
}

/**
 * /wall's weight and how soon it draws: first-load JS from the production build (the scripts the
 * page starts with, gzip), and `wallLoads` cold loads (a fresh browser context each: empty cache)
 * of the overview wall in headless Chromium against the warm server, timing the first chart and
 * summing the scripts the page fetched. `--wall-base DIR` adds the first-load JS of another build
 * (e.g. main's, built in DIR) for a before/after in the same run.
 */
export const wallWeight: BenchSection = {
  id: 'wall-weight',
  title: '/wall page weight and first chart: production build, headless Chromium, cold loads',
  async run({ options, server, log }) {
    if (options.apiOnly) throw new Error('the wall-weight section needs the pages: drop --api-only')
    const weight = pageWeight('/wall/page')
    const base = options.wallBase ? pageWeight('/wall/page', path.resolve(options.wallBase, '.next')) : undefined
    await warm(server.health)
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    const loads: Load[] = []
    try {
      const url = `${server.url}/wall?token=${encodeURIComponent(server.displayToken)}&kiosk&themes=overview`
      await coldLoad(browser, url) // the server's first render of the page and its chunks is not measured
      for (let i = 0; i < options.wallLoads; i++) {
        const load = await coldLoad(browser, url)
        log(`wall-weight: cold load ${i + 1}: first chart ${load.firstChartMs} ms, ${load.scriptsByFirstChart} scripts ${kb(load.scriptBytesByFirstChart)} by then`)
        loads.push(load)
      }
    } finally {
      await browser.close()
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
    const firstChart = loads.map((load) => load.firstChartMs)
    const maps = loads.map((load) => load.mapMs).filter((ms): ms is number => ms !== null)
    const absolute: Figure[] = [
      { label: `first chart after a cold load, median / max of ${loads.length}`, value: `${median(firstChart)} / ${Math.max(...firstChart)} ms` },
      { label: 'county map drawn after a cold load, median / max', value: maps.length ? `${median(maps)} / ${Math.max(...maps)} ms` : 'never drawn' },
    ]
    const ratios: Figure[] = [
      { label: '/wall first-load JS (production build, gzip -9): scripts, total', value: describe(weight) },
      { label: 'largest first-load chunk (raw / gzip)', value: largest(weight) },
      { label: 'scripts fetched by the first chart (as transferred), median load', value: `${median(loads.map((l) => l.scriptsByFirstChart))}, ${kb(median(loads.map((l) => l.scriptBytesByFirstChart)))}` },
      { label: 'scripts fetched over the whole load (as transferred), median load', value: `${median(loads.map((l) => l.scripts))}, ${kb(median(loads.map((l) => l.scriptBytes)))}` },
    ]
    if (base) {
      ratios.push({ label: `base build (${options.wallBase}) first-load JS: scripts, total`, value: describe(base) })
      ratios.push({ label: 'base largest first-load chunk (raw / gzip)', value: largest(base) })
      ratios.push({ label: 'first-load JS gzip, this build ÷ base', value: ratio(weight.firstLoadGzip, base.firstLoadGzip) })
    }
    return { absolute, ratios, data: { firstLoad: weight.firstLoad, firstLoadGzip: weight.firstLoadGzip, base: base && { firstLoad: base.firstLoad, firstLoadGzip: base.firstLoadGzip }, loads } }
  },
}

const describe = (weight: PageWeight) => `${weight.firstLoad.length}, ${kb(weight.firstLoadGzip)}`
function largest(weight: PageWeight): string {
  const chunk = [...weight.firstLoad].sort((a, b) => b.bytes - a.bytes)[0]
  return `${kb(chunk.bytes)} / ${kb(chunk.gzipBytes)}`
}

/** The rooms must be computed once (health says 'ok'), or the first chart would time the warm-up. */
async function warm(health: () => Promise<Record<string, unknown>>): Promise<void> {
  const until = Date.now() + 10 * 60_000
  while ((await health()).status === 'warming') {
    if (Date.now() > until) throw new Error('the live rooms were still warming after 10 minutes')
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

const MARKS_SCRIPT = `
  const marks = (window.__wallMarks = {})
  new MutationObserver(() => {
    if (marks.chart === undefined && document.querySelector('.echart canvas')) {
      marks.chart = -1
      requestAnimationFrame(() => (marks.chart = performance.now()))
    }
    if (marks.map === undefined && document.querySelector('path[data-county]')) marks.map = performance.now()
  }).observe(document, { childList: true, subtree: true })
`

/** Scripts as transferred (encoded body bytes): those finished by the first chart, and all. */
const MEASURE_SCRIPT = `(() => {
  const marks = window.__wallMarks
  const scripts = performance.getEntriesByType('resource').filter((entry) => entry.initiatorType === 'script' || /\\.js(\\?|$)/.test(entry.name))
  const byChart = scripts.filter((entry) => entry.responseEnd <= marks.chart)
  const bytes = (list) => list.reduce((sum, entry) => sum + entry.encodedBodySize, 0)
  return { chart: marks.chart, map: marks.map ?? null, byChart: byChart.length, byChartBytes: bytes(byChart), scripts: scripts.length, scriptBytes: bytes(scripts) }
})()`

async function coldLoad(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
  try {
    const page = await context.newPage()
    // The page's own clock: the first ECharts canvas, one frame after it appears (drawn), and the
    // map. Page scripts are strings: tsx compiles functions with helpers the page does not have.
    await page.addInitScript({ content: MARKS_SCRIPT })
    await page.goto(url, { waitUntil: 'commit' })
    await page.waitForFunction('(window.__wallMarks.chart ?? -1) > 0', undefined, { timeout: 120_000 })
    // the rest of the theme: the map (overview draws one) and whatever else the page fetches
    await page.waitForFunction('window.__wallMarks.map !== undefined', undefined, { timeout: 30_000 }).catch(() => {})
    await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => {})
    const measured = (await page.evaluate(MEASURE_SCRIPT)) as { chart: number; map: number | null; byChart: number; byChartBytes: number; scripts: number; scriptBytes: number }
    return {
      firstChartMs: round(measured.chart),
      mapMs: measured.map === null ? null : round(measured.map),
      scriptsByFirstChart: measured.byChart,
      scriptBytesByFirstChart: measured.byChartBytes,
      scripts: measured.scripts,
      scriptBytes: measured.scriptBytes,
    }
  } finally {
    await context.close()
  }
}
