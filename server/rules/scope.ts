import { regionFilter, UnknownRegionError, type TableAlias } from '../db/regionFilter'
import { DomainError } from '../domainError'

/**
 * Row-level security: the SQL condition that limits rows to a principal's region scope (the shared
 * whitelist in server/db/regionFilter.ts); an unknown scope is refused.
 */
export type ScopePrefix = TableAlias

export interface SqlFragment {
  sql: string
  params: Record<string, unknown>
}

export function scopeCondition(scope: string, prefix: ScopePrefix = '', paramName = 'scope'): SqlFragment {
  try {
    const { sql, params } = regionFilter(scope, { param: paramName, alias: prefix })
    return { sql, params }
  } catch (error) {
    if (error instanceof UnknownRegionError) throw new DomainError('forbidden', `unknown region scope ${scope}`)
    throw error
  }
}

/** The most precise region code of a row: village, else town, else county. */
export function rowRegion(row: { county_code: string; town_code: string; village_code: string }): string {
  return row.village_code || row.town_code || row.county_code
}
