import { getRegion } from '../../geo/regions'
import { HttpError } from '../http/router'

/**
 * Row-level security: the SQL condition that limits rows to a principal's region scope, chosen by
 * the scope's level. Column prefixes come from this whitelist, the code travels as a parameter.
 */
const PREFIXES = ['', 'f.', 'l.', 'd.', 'u.'] as const
export type ScopePrefix = (typeof PREFIXES)[number]

export interface SqlFragment {
  sql: string
  params: Record<string, unknown>
}

export function scopeCondition(scope: string, prefix: ScopePrefix = '', paramName = 'scope'): SqlFragment {
  if (!PREFIXES.includes(prefix)) throw new Error(`unknown column prefix ${prefix}`)
  if (!/^[a-zA-Z]+$/.test(paramName)) throw new Error(`unsafe parameter name ${paramName}`)
  const region = getRegion(scope)
  if (!region) throw new HttpError(403, `unknown region scope ${scope}`)
  switch (region.level) {
    case 'city':
      return { sql: '1', params: {} }
    case 'county':
      return { sql: `${prefix}county_code = {${paramName}:String}`, params: { [paramName]: scope } }
    case 'town':
      return { sql: `${prefix}town_code = {${paramName}:String}`, params: { [paramName]: scope } }
    case 'village':
      return { sql: `${prefix}village_code = {${paramName}:String}`, params: { [paramName]: scope } }
  }
}

/** The most precise region code of a row: village, else town, else county. */
export function rowRegion(row: { county_code: string; town_code: string; village_code: string }): string {
  return row.village_code || row.town_code || row.county_code
}
