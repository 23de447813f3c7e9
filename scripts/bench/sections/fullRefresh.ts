import { THEME_IDS } from '../../../dashboards/types'
import { dashboards } from '../../../dashboards'
import { Worker } from '../children'
import { formatMs, summarize, type Summary } from '../stats'
import { refreshRegions } from './rooms'
import { loopFigure, phase, ratio, type BenchSection, type Figure } from './types'

/**
 * Full room refreshes, timed by a screen in its own process: the first subscription to a room makes
 * the hub compute all its panels (none is shown yet, so none is held back by a minimum refresh
 * interval) on the subscribe path, which has no debounce. One sample per room; `refreshRooms`
 * rooms per theme (city, counties, towns, then villages). Must run before any screen has
 * watched these rooms.
 */
export const fullRefresh: BenchSection = {
  id: 'full-refresh',
  title: 'Full room refresh (every panel computed, nothing deferred; the 50 ms change debounce is not on this path)',
  async run({ options, server, log }) {
    const regions = refreshRegions(options.refreshRooms)
    const worker = Worker.start('refresher')
    const perTheme: Record<string, { summary: Summary; city: number | null; panels: string; failed: number }> = {}
    try {
      const { value: byTheme, loop } = await phase(server, async () => {
        const result: Record<string, Array<{ room: string; ms: number; panels: number; ok: boolean }>> = {}
        // Theme after theme: two themes of one region are more than a tick apart, so the hub's
        // per-tick memo does not carry one room's results into the other's timing.
        for (const theme of THEME_IDS) {
          result[theme] = await worker.request('refresh', { url: server.url, token: server.displayToken, rooms: regions.map((region) => ({ dashboard: theme, region: region.code })) })
          log(`full refresh ${theme}: ${formatMs(summarize(result[theme].filter((s) => s.ok).map((s) => s.ms)))}`)
        }
        return result
      })
      for (const theme of THEME_IDS) {
        const samples = byTheme[theme]
        const ok = samples.filter((sample) => sample.ok)
        const whole = dashboards[theme].panels.length
        // Some metrics stop at the town level: a village room computes them, gets a refusal, and shows fewer panels.
        const partial = ok.filter((sample) => sample.panels < whole).map((sample) => regions.find((region) => sample.room.endsWith(`:${region.code}`))?.level)
        const partialLevels = [...new Set(partial)].join('/')
        perTheme[theme] = {
          summary: summarize(ok.map((sample) => sample.ms)),
          city: ok.find((sample) => sample.room.endsWith(':511000'))?.ms ?? null,
          panels: partial.length ? `all ${whole} but in ${partial.length} ${partialLevels} rooms` : `all ${whole}`,
          failed: samples.length - ok.length,
        }
      }
      const levels = [...new Set(regions.map((region) => region.level))].map((level) => `${regions.filter((r) => r.level === level).length} ${level}`).join(', ')
      const absolute: Figure[] = THEME_IDS.map((theme) => ({
        label: `${theme}: p50 / p95 / p99 (the city room alone)`,
        value: `${formatMs(perTheme[theme].summary)} (city ${Math.round(perTheme[theme].city ?? NaN)} ms); panels in the snapshot: ${perTheme[theme].panels}${perTheme[theme].failed ? `, ${perTheme[theme].failed} refused` : ''}`,
      }))
      absolute.unshift({ label: 'rooms per theme', value: `${regions.length} (${levels}), one sample each` })
      absolute.push(loopFigure('during full refreshes', loop))
      const base = perTheme.overview.summary
      const ratios: Figure[] = THEME_IDS.filter((theme) => theme !== 'overview').map((theme) => ({
        label: `${theme} ÷ overview, full refresh p50 / p95`,
        value: `${ratio(perTheme[theme].summary.p50, base.p50)} / ${ratio(perTheme[theme].summary.p95, base.p95)}`,
      }))
      return { absolute, ratios, data: { perTheme, loop, regions: regions.length } }
    } finally {
      await worker.stop()
    }
  },
}
