import { getRegion, type RegionLevel } from '../../geo/regions'

/**
 * The one whitelist that turns a region code into a SQL condition, shared by metrics, records,
 * rules and scopes: the column is chosen by the region's level, the code travels only as a query
 * parameter, and an optional table alias comes from a fixed list. A city code limits nothing here;
 * callers that must pin rows to Neijiang's own counties say so (see server/records/regionScope.ts).
 */
const columnByLevel: Record<Exclude<RegionLevel, 'city'>, string> = {
  county: 'county_code',
  town: 'town_code',
  village: 'village_code',
}

const ALIASES = ['', 'f.', 'l.', 'd.', 'u.'] as const
export type TableAlias = (typeof ALIASES)[number]

export interface RegionFilter {
  level: RegionLevel
  sql: string
  params: Record<string, unknown>
}

export class UnknownRegionError extends Error {}

export function regionFilter(code: string, options: { param?: string; alias?: TableAlias } = {}): RegionFilter {
  const param = options.param ?? 'region'
  const alias = options.alias ?? ''
  if (!ALIASES.includes(alias)) throw new Error(`unknown table alias ${alias}`)
  if (!/^[a-zA-Z]+$/.test(param)) throw new Error(`unsafe parameter name ${param}`)
  const region = getRegion(code)
  if (!region) throw new UnknownRegionError(`unknown region ${code}`)
  if (region.level === 'city') return { level: 'city', sql: '1', params: {} }
  return { level: region.level, sql: `${alias}${columnByLevel[region.level]} = {${param}:String}`, params: { [param]: code } }
}
