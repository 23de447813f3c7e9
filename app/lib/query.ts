/** Reading the page query (Next passes string | string[] | undefined). */
export type Query = Record<string, string | string[] | undefined>

export function first(query: Query, key: string): string | undefined {
  const value = query[key]
  return Array.isArray(value) ? value[0] : value
}

/** `?kiosk`, `?kiosk=1`, `?kiosk=true` are on; `?kiosk=0` / `false` is off. */
export function flag(query: Query, key: string, fallback = false): boolean {
  const value = first(query, key)
  if (value === undefined) return fallback
  return !['0', 'false', 'off', 'no'].includes(value.toLowerCase())
}
