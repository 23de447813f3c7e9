import type { Db } from '../db/client'
import { quoteIdentifier } from '../db/client'
import { contentHash } from './contentHash'
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

/** The ledger entries of these batches of one feed, by batch id (batches not in the ledger are absent). */
export async function findLedgerEntries(db: Db, feed: string, batchIds: readonly string[]): Promise<Map<string, Pick<LedgerEntry, 'contentHash' | 'rows'>>> {
  const result = await db.client.query({
    // No FINAL: a batch recorded twice (a crash-recovered delivery) has rows that agree, so any one
    // answers; FINAL would merge the keys' rows first on every delivery.
    query: `SELECT batch_id, any(content_hash) AS content_hash, any(row_count) AS row_count FROM ingest_batch
            WHERE feed = {feed:String} AND batch_id IN {batchIds:Array(String)} GROUP BY batch_id`,
    query_params: { feed, batchIds },
    format: 'JSONEachRow',
  })
  const rows = await result.json<{ batch_id: string; content_hash: string; row_count: number | string }>()
  return new Map(rows.map((row) => [row.batch_id, { contentHash: row.content_hash, rows: Number(row.row_count) }]))
}

/** Ledger entries in one INSERT (a group of batches stored together). */
export async function recordLedgerEntries(db: Db, entries: readonly LedgerEntry[]): Promise<void> {
  if (entries.length === 0) return
  await db.client.insert({
    table: 'ingest_batch',
    format: 'JSONEachRow',
    values: entries.map((entry) => ({
      feed: entry.feed,
      batch_id: entry.batchId,
      content_hash: entry.contentHash,
      row_count: entry.rows,
      amount: yuanText(entry.amountCents),
      newest_time: entry.newestTime,
    })),
  })
}

/**
 * Which of these batches have rows in the feed's table. Almost always none: the rows of a batch
 * whose ledger entry is missing come from a delivery whose process stopped between the INSERT and
 * the ledger write. The bloom filter on batch_id skips every granule of a batch id not stored.
 */
export async function batchesWithRows(db: Db, spec: FeedSpec, batchIds: readonly string[]): Promise<Set<string>> {
  if (batchIds.length === 0) return new Set()
  const result = await db.client.query({
    query: `SELECT batch_id FROM ${quoteIdentifier(spec.table)} WHERE batch_id IN {batchIds:Array(String)} LIMIT 1 BY batch_id`,
    query_params: { batchIds },
    format: 'JSONEachRow',
  })
  return new Set((await result.json<{ batch_id: string }>()).map((row) => row.batch_id))
}

/**
 * The content hash of the rows of this batch already in the feed's table, or null when there are
 * none. Rows while the ledger has no entry mean an earlier delivery's INSERT completed but the
 * process stopped before writing the ledger row. The rows are read back through the feed schema,
 * which gives them the exact normalized form that was hashed when they were sent, so a re-post
 * is compared with them record by record (same people, same amounts), not by count and sum.
 * A stored row the schema no longer accepts counts as different content. Asked only for a batch
 * `batchesWithRows` found.
 */
export async function storedContentOfBatch(db: Db, spec: FeedSpec, batchId: string): Promise<{ rows: number; contentHash: string | null } | null> {
  const result = await db.client.query({
    // Decimals as text: a JSON number would pass through a float on its way to the schema.
    query: `SELECT * EXCEPT (batch_id, ingested_at) FROM ${quoteIdentifier(spec.table)} WHERE batch_id = {batchId:String}
            SETTINGS output_format_json_quote_decimals = 1, output_format_json_quote_64bit_integers = 0`,
    query_params: { batchId },
    format: 'JSONEachRow',
  })
  const rows = await result.json<Record<string, unknown>>()
  if (rows.length === 0) return null
  const records: Record<string, unknown>[] = []
  for (const row of rows) {
    const parsed = spec.record.safeParse(row)
    if (!parsed.success) return { rows: rows.length, contentHash: null }
    records.push(parsed.data)
  }
  return { rows: rows.length, contentHash: contentHash(records) }
}

export function yuanText(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
}
