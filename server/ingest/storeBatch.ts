import type { Db } from '../db/client'
import { HttpError } from '../http/router'
import { findLedgerEntry, recordLedgerEntry, storedContentOfBatch, yuanText } from './batchLedger'
import type { FeedSpec } from './feeds'
import { ingestGate } from './ingestGate'
import { insertPrepared } from './insertBatch'
import { prepareRecords, type PreparedBatch } from './preparedBatch'
import { KeyedMutex } from './keyedMutex'

export type StoreOutcome =
  | { status: 'stored'; feed: string; batchId: string; rows: number; amount: number; recovered?: true }
  | { status: 'duplicate'; feed: string; batchId: string; rows: number }

/** One process owns the database, so one mutex per process serializes deliveries of a batch. */
const batchLocks = new KeyedMutex()

/**
 * Stores a validated batch once and whole:
 * - already in the ledger with the same content → duplicate, nothing written;
 *   with other content → 409;
 * - rows of the batch present but no ledger entry (the process stopped between the INSERT and the
 *   ledger write) → the earlier INSERT completed; if those rows are this content, record the ledger
 *   entry (never insert again), otherwise 409;
 * - otherwise one INSERT of all rows, then the ledger entry.
 * The ledger is written after the rows, so a ledger entry always means the rows are in.
 */
export async function storeBatch(db: Db, spec: FeedSpec, batchId: string, records: readonly Record<string, unknown>[]): Promise<StoreOutcome> {
  return storePrepared(db, spec, batchId, prepareRecords(spec, batchId, records))
}

export async function storePrepared(db: Db, spec: FeedSpec, batchId: string, batch: PreparedBatch): Promise<StoreOutcome> {
  const { contentHash: hash, amountCents } = batch
  const entry = { feed: spec.feed, batchId, contentHash: hash, rows: batch.rows, amountCents, newestTime: batch.newestTime }

  // Shared gate: a rollup repair (server/rollups) waits for this batch, and this batch for a repair.
  return ingestGate.shared(() => batchLocks.run(`${spec.feed}\u0000${batchId}`, async () => {
    const ledger = await findLedgerEntry(db, spec.feed, batchId)
    if (ledger) {
      if (ledger.contentHash !== hash) throw conflict(spec, batchId)
      return { status: 'duplicate', feed: spec.feed, batchId, rows: ledger.rows }
    }
    const stored = { status: 'stored', feed: spec.feed, batchId, rows: entry.rows, amount: Number(yuanText(amountCents)) } as const
    const already = await storedContentOfBatch(db, spec, batchId)
    if (already) {
      // Same batch id, other records (even with equal count and sum): the sender changed the batch.
      if (already.contentHash !== hash) throw conflict(spec, batchId)
      await recordLedgerEntry(db, entry)
      // This is the sender's first acknowledgment of the batch, so it is answered as stored.
      return { ...stored, recovered: true }
    }
    await insertPrepared(db, spec, batch)
    await recordLedgerEntry(db, entry)
    return stored
  }))
}

function conflict(spec: FeedSpec, batchId: string): HttpError {
  return new HttpError(409, `batch ${batchId} of feed ${spec.feed} was already stored with different content; send changes under a new batchId`)
}
