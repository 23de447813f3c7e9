import { createHash } from 'node:crypto'

/** JSON with object keys sorted, so equal data always hashes equal whatever the key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`
  return JSON.stringify(value) ?? 'null'
}

export function stableHash(value: unknown): string {
  return createHash('sha1').update(stableJson(value)).digest('base64url')
}
