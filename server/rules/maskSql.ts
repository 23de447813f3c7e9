/**
 * Masking of personal data inside SQL, so an unmasked name or number never leaves the database
 * for a flag, a ticker line or a record view (DOMAIN.md: Hutool's conventions).
 * The arguments are column expressions written in code, never values from a request.
 */

/** 张** : the first character of the name. */
export function maskNameSql(column: string): string {
  return `concat(substringUTF8(${column}, 1, 1), '**')`
}

/** 511002********1234 : first 6 (the region matters here) and last 4. */
export function maskIdSql(column: string): string {
  return `if(length(${column}) >= 10, concat(substring(${column}, 1, 6), repeat('*', length(${column}) - 10), substring(${column}, -4)), '****')`
}

/** 6222 **** **** 3256 */
export function maskCardSql(column: string): string {
  return `if(length(${column}) >= 8, concat(substring(${column}, 1, 4), ' **** **** ', substring(${column}, -4)), '****')`
}

/** 180****1999 */
export function maskPhoneSql(column: string): string {
  return `if(length(${column}) >= 7, concat(substring(${column}, 1, 3), '****', substring(${column}, -4)), '****')`
}

/** 张** 511002********1234 : the usual subject of a person-level flag. */
export function maskPersonSql(nameColumn: string, idColumn: string): string {
  return `concat(${maskNameSql(nameColumn)}, ' ', ${maskIdSql(idColumn)})`
}
