import { getRegion, regionsAtLevel, type RegionLevel } from '../../geo/regions'

/**
 * Limits payment details to a region subtree. The column is chosen from a fixed list by the
 * region's level; the code itself travels only as a query parameter named by the caller, so the
 * scope and the requested region can both be applied in one WHERE clause.
 */
const columnByLevel: Record<Exclude<RegionLevel, 'city'>, string> = {
  county: 'county_code',
  town: 'town_code',
  village: 'village_code',
}

export interface SqlCondition {
  sql: string
  params: Record<string, unknown>
}

export function regionCondition(code: string, paramName: 'scope' | 'region'): SqlCondition {
  const region = getRegion(code)
  if (!region) throw new Error(`unknown region ${code}`)
  if (region.level === 'city') {
    // The whole city is still a limit: only rows of Neijiang's own counties, never anything else.
    return { sql: `county_code IN {${paramName}:Array(String)}`, params: { [paramName]: regionsAtLevel('county').map((c) => c.code) } }
  }
  return { sql: `${columnByLevel[region.level]} = {${paramName}:String}`, params: { [paramName]: code } }
}
