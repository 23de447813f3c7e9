import { createHash } from 'node:crypto'

/**
 * The identity of a batch's content: sha256 over its normalized records, i.e. as parsed by the feed
 * schema, so 12.5 and "12.50", omitted and null approval times, JSON and NDJSON all agree. Parsed
 * records have their keys in the schema's order whatever order the sender used, so JSON.stringify is
 * canonical. Record order is ignored: a sender re-sending the same rows in another order is
 * retrying, not changing the batch.
 */
export function contentHash(records: readonly Record<string, unknown>[]): string {
  const lines = records.map((record) => JSON.stringify(record)).sort()
  const hash = createHash('sha256')
  for (const line of lines) hash.update(line).update('\n')
  return hash.digest('hex')
}
