import { dashboards } from '../../../dashboards'
import { Worker } from '../children'
import { formatMs, round, summarize } from '../stats'
import { SCREEN_ROOMS, split } from './rooms'
import { loopFigure, phase, ratio, type BenchSection, type Figure } from './types'

const POLLERS_PER_PROCESS = 125
const TICK_MS = 1000

/**
 * The polling baseline, measured: `pollers` walls in client processes, each fetching every panel
 * of its theme over HTTP once per second (the hub's tick) through GET /api/metrics/:name, spread
 * over the same rooms as the screens. Counted at the pollers: requests issued, answered, late ticks.
 */
export const polling: BenchSection = {
  id: 'polling',
  title: 'Polling baseline: real HTTP pollers, one request per panel per second',
  async run({ options, server, results, log }) {
    const walls = Array.from({ length: options.pollers }, (_, i) => {
      const { dashboard, region } = SCREEN_ROOMS[i % SCREEN_ROOMS.length]
      return dashboards[dashboard].panels.map((panel) => {
        const query = new URLSearchParams({ region, ...Object.fromEntries(Object.entries(panel.params).map(([k, v]) => [k, String(v)])) })
        return `/api/metrics/${encodeURIComponent(panel.metric)}?${query}`
      })
    })
    const workers = split(walls, Math.ceil(walls.length / POLLERS_PER_PROCESS)).map((slice, i) => ({ slice, worker: Worker.start('poller', `poller-${i}`) }))
    try {
      const { value: counts, loop } = await phase(server, () =>
        Promise.all(workers.map(({ slice, worker }) =>
          worker.request<{ issued: number; answered: number; failed: number; abandoned: number; ticks: number; lateTicks: number; responseMs: number[]; seconds: number }>('poll', {
            url: server.url, username: server.leader.username, password: server.leader.password, walls: slice, tickMs: TICK_MS, durationMs: options.pollSeconds * 1000,
          }),
        )),
      )
      // Abandoned requests stay queued in the server: the next phase starts once it answers again.
      const drainStarted = Date.now()
      await server.health()
      const drainSeconds = round((Date.now() - drainStarted) / 1000, 1)
      const seconds = Math.max(...counts.map((c) => c.seconds))
      const sum = (key: 'issued' | 'answered' | 'failed' | 'abandoned' | 'ticks' | 'lateTicks') => counts.reduce((total, c) => total + c[key], 0)
      const response = summarize(counts.flatMap((c) => c.responseMs))
      const scheduled = walls.reduce((total, paths) => total + paths.length, 0) * (options.pollSeconds * 1000) / TICK_MS
      const answeredPerSec = round(sum('answered') / seconds, 1)
      log(`polling: ${answeredPerSec} answered/s, response ${formatMs(response)}`)
      const loaded = results.get('ingest-to-screen')?.data.loaded as { hubQueriesPerSec: number; all: { p95: number | null }; screens: number } | undefined
      const absolute: Figure[] = [
        { label: `${options.pollers} polling walls for ${options.pollSeconds} s: requests at 1/panel/s on schedule / issued / answered / failed / given up 10 s after the end`, value: `${Math.round(scheduled)} / ${sum('issued')} / ${sum('answered')} / ${sum('failed')} / ${sum('abandoned')}` },
        { label: 'time until the server answered /api/health after the pollers stopped', value: `${drainSeconds} s` },
        { label: 'metric requests answered per second (each runs ≥ 1 database query)', value: String(answeredPerSec) },
        { label: 'poll response time p50 / p95 / p99', value: formatMs(response) },
        { label: 'poll ticks that overran their second', value: `${sum('lateTicks')} of ${sum('ticks')}` },
        loopFigure(`${options.pollers} polling walls`, loop),
      ]
      const ratios: Figure[] = [{ label: 'requests answered ÷ on schedule', value: ratio(sum('answered'), scheduled) }]
      if (loaded) {
        ratios.push({ label: `polling requests answered/s ÷ hub queries/s with ${loaded.screens} screens`, value: ratio(answeredPerSec, loaded.hubQueriesPerSec, 0) })
        ratios.push({ label: `poll response p95 ÷ ack → screen p95 (${loaded.screens} screens)`, value: ratio(response.p95, loaded.all.p95) })
      }
      return { absolute, ratios, data: { counts: counts.map(({ responseMs, ...rest }) => rest), response, loop, scheduled, drainSeconds } }
    } finally {
      await Promise.all(workers.map(({ worker }) => worker.stop()))
    }
  },
}
