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

/** Regions for full refreshes: the city, the counties, the towns, then villages, `count` in all. */
export function refreshRegions(count: number): Array<{ code: string; level: string }> {
  const all = [{ code: CITY_CODE, level: 'city' }, ...(['county', 'town', 'village'] as const).flatMap((level) => regionsAtLevel(level).map((region) => ({ code: region.code, level })))]
  return all.slice(0, count)
}

/** Splits `items` into `parts` nearly equal slices (one per client process). */
export function split<T>(items: T[], parts: number): T[][] {
  const slices: T[][] = Array.from({ length: parts }, () => [])
  items.forEach((item, i) => slices[i % parts].push(item))
  return slices.filter((slice) => slice.length > 0)
}
