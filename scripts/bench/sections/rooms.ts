import { CITY_CODE, regionsAtLevel } from '../../../geo/regions'
import { dashboards } from '../../../dashboards'
import { THEME_IDS, type ThemeId } from '../../../dashboards/types'
import { COUNTIES } from '../paymentRecords'

/** The rooms screens watch in the latency sections: every theme at the city and at each county. */
export const SCREEN_REGIONS = [CITY_CODE, ...COUNTIES]
export const SCREEN_ROOMS = THEME_IDS.flatMap((dashboard) => SCREEN_REGIONS.map((region) => ({ dashboard, region })))

/**
 * Themes a payments batch changes: those showing a payments or budget-execution panel (from the
 * theme definitions the wall pages themselves read). 问题整改 shows flags and the ledger only.
 */
export const PAYMENT_THEMES: ReadonlySet<ThemeId> = new Set(
  THEME_IDS.filter((theme) => dashboards[theme].panels.some((panel) => /^(payments|budget)\./.test(panel.metric))),
)

/**
 * Regions for full refreshes: `count` villages spread over the city. The hub keeps the city's,
 * the counties' and the towns' rooms warm (theme passes compute them; a subscribe is answered from
 * memory, no query), so only a room it does not keep (a village) is computed on subscribe: every
 * panel at once, none held back, no debounce on that path. Timing a warm room would time memory.
 */
export function refreshRegions(count: number): Array<{ code: string; level: string }> {
  const villages = regionsAtLevel('village')
  const step = Math.max(1, Math.floor(villages.length / Math.max(1, count)))
  return villages.filter((_, i) => i % step === 0).slice(0, count).map((region) => ({ code: region.code, level: 'village' }))
}

/** Splits `items` into `parts` nearly equal slices (one per client process). */
export function split<T>(items: T[], parts: number): T[][] {
  const slices: T[][] = Array.from({ length: parts }, () => [])
  items.forEach((item, i) => slices[i % parts].push(item))
  return slices.filter((slice) => slice.length > 0)
}
