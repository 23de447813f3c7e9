import { Buffer } from 'node:buffer'
import type { Db } from '../db/client'
import type { FeedSpec } from './feeds'
import { prepareRecords, type PreparedBatch } from './preparedBatch'

/**
 * Block-forming settings for one INSERT, written in the statement's own SETTINGS clause. Through
 * chDB, `clickhouse_settings` on a request stay set for the whole session (every later query), so
 * they must never carry these. Thresholds far above any batch make the parser and the squashing
 * step emit one block; parallel parsing would otherwise cut the body into ~10 MB chunks.
 */
const ONE_BLOCK_SETTINGS = {
  max_insert_block_size: 1_000_000_000,
  min_insert_block_size_rows: 1_000_000_000,
  min_insert_block_size_bytes: 1_000_000_000_000,
  input_format_parallel_parsing: 0,
}

/**
 * Inserts a whole batch as ONE INSERT that forms one block. The target tables are not partitioned,
 * so one block is one part: the batch becomes visible all at once or not at all. The body is
 * RowBinary for payments, JSONCompactEachRow for the small feeds (formats side by side:
 * server/ingest/bench/insertFormats.ts).
 */
export async function insertPrepared(db: Db, spec: FeedSpec, batch: InsertedBatch): Promise<void> {
  await insertTogether(db, spec, [batch])
}

type InsertedBatch = Pick<PreparedBatch, 'columns' | 'body' | 'format' | 'structure'>

/**
 * Batches of one feed as ONE INSERT of one block (group commit, storeBatch.ts): their rows become
 * visible together. Every batch of a feed has the feed spec's columns and format, and each row
 * carries its own batch_id, so the bodies are written one after another.
 */
export async function insertTogether(db: Db, spec: FeedSpec, batches: readonly InsertedBatch[]): Promise<void> {
  if (batches.length === 0) return
  const [{ columns, format, structure }] = batches
  const body = batches.map((batch) => Buffer.from(batch.body.buffer, batch.body.byteOffset, batch.body.byteLength))
  await db.insertBody({ table: spec.table, columns, format, structure, body, settings: ONE_BLOCK_SETTINGS })
}

/** The same from records as the feed schema outputs them (tests, benches). */
export async function insertBatch(db: Db, spec: FeedSpec, batchId: string, records: readonly Record<string, unknown>[]): Promise<void> {
  await insertPrepared(db, spec, prepareRecords(spec, batchId, records))
}
