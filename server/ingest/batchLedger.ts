import type { Db } from '../db/client'
import { quoteIdentifier } from '../db/client'
import type { FeedSpec } from './feeds'

/** A row of ingest_batch: proof that a batch of one feed was stored, and what it contained. */
export interface LedgerEntry {
  feed: string
  batchId: string
  contentHash: string
  rows: number
  amountCents: number
  /** 'YYYY-MM-DD HH:mm:ss' of the newest record */
  newestTime: string
}

export async function findLedgerEntry(db: Db, feed: string, batchId: string): Promise<Pick<LedgerEntry, 'contentHash' | 'rows'> | null> {
  const result = await db.client.query({
    // FINAL: a crash-recovered batch could in principle be recorded twice; both rows agree.
    query: `SELECT content_hash, row_count FROM ingest_batch FINAL
            WHERE feed = {feed:String} AND batch_id = {batchId:String} LIMIT 1`,
    query_params: { feed, batchId },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ content_hash: string; row_count: number | string }>()
  return row ? { contentHash: row.content_hash, rows: Number(row.row_count) } : null
}

export async function recordLedgerEntry(db: Db, entry: LedgerEntry): Promise<void> {
  await db.client.insert({
    table: 'ingest_batch',
    format: 'JSONEachRow',
    values: [
      {
        feed: entry.feed,
        batch_id: entry.batchId,
        content_hash: entry.contentHash,
        row_count: entry.rows,
        amount: yuanText(entry.amountCents),
        newest_time: entry.newestTime,
      },
    ],
  })
}

/**
 * Rows of this batch already in the feed's table. Non-zero while the ledger has no entry means an
 * earlier delivery's INSERT completed but the process stopped before writing the ledger row.
 */
export async function storedRowsOfBatch(db: Db, spec: FeedSpec, batchId: string): Promise<{ rows: number; amountCents: number }> {
  const table = quoteIdentifier(spec.table)
  const cents = spec.amountColumn ? `sum(toInt64(${quoteIdentifier(spec.amountColumn)} * 100))` : '0'
  const result = await db.client.query({
    query: `SELECT count() AS rows, ${cents} AS cents FROM ${table} WHERE batch_id = {batchId:String}`,
    query_params: { batchId },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ rows: number | string; cents: number | string }>()
  return { rows: Number(row.rows), amountCents: Number(row.cents) }
}

export function yuanText(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
}
