import { CITY_CODE, getRegion, pathToRoot } from '../../../geo/regions'

/** A known region code for an event (an unknown one is the city's, never a county's), and its name path. */
export function eventRegion(row: { county_code?: string; town_code?: string; village_code?: string }): { code: string; name: string } {
  const code = [row.village_code, row.town_code, row.county_code].find((c) => c && getRegion(c)) ?? CITY_CODE
  const names = pathToRoot(code).filter((r) => r.level !== 'city').map((r) => r.name).reverse()
  return { code, name: names.join(' ') || (getRegion(code)?.name ?? '内江市') }
}
