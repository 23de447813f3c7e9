import { THEME_IDS } from '../../../dashboards/types'
import { dashboards } from '../../../dashboards'
import { Worker } from '../children'
import { formatMs, summarize, type Summary } from '../stats'
import { refreshRegions } from './rooms'
import { loopFigure, phase, ratio, type BenchSection, type Figure } from './types'

/**
 * Full room refreshes, timed by a screen in its own process: subscribing to a room the hub does not
 * keep warm (a village: rooms.ts refreshRegions) makes it compute every panel of that room at once
 * (none is shown yet, so none is held back by a minimum refresh interval) on the subscribe path,
 * which has no debounce. One sample per room; `refreshRooms` villages per theme. The warm rooms
 * (city, counties, towns) are refreshed by whole-theme passes and answered from memory on
 * subscribe: the live-core section times those passes.
 */
export const fullRefresh: BenchSection = {
  id: 'full-refresh',
  title: 'Full room refresh at a screen: subscribe → snapshot of a room not kept warm (every panel computed, nothing deferred; the 50 ms change debounce is not on this path)',
  async run({ options, server, log }) {
    const regions = refreshRegions(options.refreshRooms)
    const worker = Worker.start('refresher')
    const perTheme: Record<string, { summary: Summary; panels: string; failed: number }> = {}
    try {
      const { value: byTheme, loop } = await phase(server, async () => {
        const result: Record<string, Array<{ room: string; ms: number; panels: number; ok: boolean }>> = {}
        // Theme after theme, one room at a time: each room is computed alone with a memo of its own.
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
          panels: partial.length ? `all ${whole} but in ${partial.length} ${partialLevels} rooms` : `all ${whole}`,
          failed: samples.length - ok.length,
        }
      }
      const levels = [...new Set(regions.map((region) => region.level))].map((level) => `${regions.filter((r) => r.level === level).length} ${level}`).join(', ')
      const absolute: Figure[] = THEME_IDS.map((theme) => ({
        label: `${theme}: p50 / p95 / p99`,
        value: `${formatMs(perTheme[theme].summary)}; panels in the snapshot: ${perTheme[theme].panels}${perTheme[theme].failed ? `, ${perTheme[theme].failed} refused` : ''}`,
      }))
      absolute.unshift({ label: 'rooms per theme (not kept warm, so computed on subscribe)', value: `${regions.length} (${levels}), one sample each` })
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
