import { regionsAtLevel } from '../../geo/regions'
import { regionFilter } from '../db/regionFilter'
import { condition, param, sql, type SqlFragment } from '../sql'

/**
 * Limits payment details to a region subtree through the shared whitelist (server/db/regionFilter),
 * with the scope and the requested region as separately named parameters in one WHERE clause.
 */
export function recordsRegionLimit(code: string, paramName: 'scope' | 'region'): SqlFragment {
  const filter = regionFilter(code, { param: paramName })
  // The whole city is still a limit: only rows of Neijiang's own counties, never anything else.
  if (filter.level === 'city') return sql`county_code IN ${param(paramName, 'Array(String)', regionsAtLevel('county').map((c) => c.code))}`
  return condition(filter)
}
