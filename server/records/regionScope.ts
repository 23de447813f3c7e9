import { regionsAtLevel } from '../../geo/regions'
import { regionFilter } from '../db/regionFilter'

/**
 * Limits payment details to a region subtree through the shared whitelist (server/db/regionFilter),
 * with the scope and the requested region as separately named parameters in one WHERE clause.
 */
export interface SqlCondition {
  sql: string
  params: Record<string, unknown>
}

export function regionCondition(code: string, paramName: 'scope' | 'region'): SqlCondition {
  const filter = regionFilter(code, { param: paramName })
  if (filter.level === 'city') {
    // The whole city is still a limit: only rows of Neijiang's own counties, never anything else.
    return { sql: `county_code IN {${paramName}:Array(String)}`, params: { [paramName]: regionsAtLevel('county').map((c) => c.code) } }
  }
  return { sql: filter.sql, params: filter.params }
}
