import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { Db } from '../db/client'
import { quoteIdentifier } from '../db/client'
import type { FeedSpec } from './feeds'

/**
 * Block-forming settings for one INSERT, written in the statement's own SETTINGS clause. Through
 * chDB, `clickhouse_settings` on a request stay set for the whole session (every later query), so
 * they must never carry these. Thresholds far above any batch make the parser and the squashing
 * step emit one block; parallel parsing would otherwise cut the body into ~10 MB chunks.
 */
const ONE_BLOCK_SETTINGS = [
  'max_insert_block_size = 1000000000',
  'min_insert_block_size_rows = 1000000000',
  'min_insert_block_size_bytes = 1000000000000',
  'input_format_parallel_parsing = 0',
].join(', ')

/**
 * Inserts a whole batch as ONE INSERT that forms one block. The target tables are not partitioned,
 * so one block is one part: the batch becomes visible all at once or not at all.
 */
export async function insertBatch(db: Db, spec: FeedSpec, batchId: string, records: readonly Record<string, unknown>[]): Promise<void> {
  await insertLines(db, spec, batchId, records.map((record) => JSON.stringify(record)))
}

/** The same from the records' normalized JSON lines (objects), each given the batch id on the way out. */
export async function insertLines(db: Db, spec: FeedSpec, batchId: string, lines: readonly string[]): Promise<void> {
  const prefix = `{"batch_id":${JSON.stringify(batchId)},`
  // Streamed line by line: no second copy of the whole batch as one string.
  function* body() {
    for (const line of lines) yield `${prefix}${line.slice(1)}\n`
  }
  const result = await db.client.exec({
    query: `INSERT INTO ${quoteIdentifier(spec.table)} SETTINGS ${ONE_BLOCK_SETTINGS} FORMAT JSONEachRow`,
    values: Readable.from(body()),
  })
  // The INSERT has no output, but the response stream must be consumed to free the connection.
  await finished(result.stream.resume())
}
