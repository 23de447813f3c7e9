import type { Db } from '../db/client'
import { HttpError } from '../http/router'
import { batchesWithRows, findLedgerEntries, recordLedgerEntries, storedContentOfBatch, yuanText, type LedgerEntry } from './batchLedger'
import type { FeedSpec } from './feeds'
import { ingestGate } from './ingestGate'
import { GroupCommit, type Settled } from './groupCommit'
import { insertTogether } from './insertBatch'
import { prepareRecords, type PreparedBatch } from './preparedBatch'
import { KeyedMutex } from './keyedMutex'

export type StoreOutcome =
  | { status: 'stored'; feed: string; batchId: string; rows: number; amount: number; recovered?: true }
  | { status: 'duplicate'; feed: string; batchId: string; rows: number }

/** One process owns the database, so one mutex per process serializes deliveries of a batch. */
const batchLocks = new KeyedMutex()

/**
 * Rows stored by one group at most. A 10k-row payments batch is about 2.7 MB of RowBinary; the few
 * batches that wait while a group is stored (at most 4 requests are worked on at once) fit in it.
 */
const MAX_GROUP_ROWS = 100_000

interface Delivery {
  batchId: string
  batch: PreparedBatch
}

/** The group commit of each database and feed, made on first use. */
const storeGroups = new WeakMap<Db, Map<string, GroupCommit<Delivery, StoreOutcome>>>()

function storeGroupOf(db: Db, spec: FeedSpec): GroupCommit<Delivery, StoreOutcome> {
  let groups = storeGroups.get(db)
  if (!groups) storeGroups.set(db, (groups = new Map()))
  let group = groups.get(spec.feed)
  if (!group) groups.set(spec.feed, (group = new GroupCommit((deliveries) => storeTogether(db, spec, deliveries), (d) => d.batch.rows, MAX_GROUP_ROWS)))
  return group
}

/**
 * Stores a validated batch once and whole:
 * - already in the ledger with the same content → duplicate, nothing written;
 *   with other content → 409;
 * - rows of the batch present but no ledger entry (the process stopped between the INSERT and the
 *   ledger write) → the earlier INSERT completed; if those rows are this content, record the ledger
 *   entry (never insert again), otherwise 409;
 * - otherwise one INSERT of all rows, then the ledger entry.
 * The ledger is written after the rows, so a ledger entry always means the rows are in.
 *
 * Batches of a feed that arrive while others are being stored are stored together, as one group:
 * one ledger lookup, one INSERT and one ledger write for all of them (group commit, groupCommit.ts).
 */
export async function storeBatch(db: Db, spec: FeedSpec, batchId: string, records: readonly Record<string, unknown>[]): Promise<StoreOutcome> {
  return storePrepared(db, spec, batchId, prepareRecords(spec, batchId, records))
}

export async function storePrepared(db: Db, spec: FeedSpec, batchId: string, batch: PreparedBatch): Promise<StoreOutcome> {
  const group = storeGroupOf(db, spec)
  // Shared gate: a rollup repair (server/rollups) waits for this batch, and this batch for a repair.
  // The batch lock keeps two deliveries of one batch out of one group (the second sees the first's ledger entry).
  return ingestGate.shared(() => batchLocks.run(`${spec.feed}\u0000${batchId}`, () => group.submit({ batchId, batch })))
}

/** A group of deliveries of one feed, each a different batch: each one's outcome, in order. */
async function storeTogether(db: Db, spec: FeedSpec, deliveries: readonly Delivery[]): Promise<Array<Settled<StoreOutcome>>> {
  const outcomes = new Array<Settled<StoreOutcome> | undefined>(deliveries.length)
  const ledger = await findLedgerEntries(db, spec.feed, deliveries.map((d) => d.batchId))
  deliveries.forEach(({ batchId, batch }, i) => {
    const entry = ledger.get(batchId)
    if (!entry) return
    outcomes[i] = entry.contentHash === batch.contentHash
      ? { ok: true, value: { status: 'duplicate', feed: spec.feed, batchId, rows: entry.rows } }
      : { ok: false, error: conflict(spec, batchId) }
  })
  const unrecorded = deliveries.filter((_, i) => !outcomes[i])
  const withRows = await batchesWithRows(db, spec, unrecorded.map((d) => d.batchId))
  const toInsert: number[] = []
  const recovered: number[] = []
  for (const [i, { batchId, batch }] of deliveries.entries()) {
    if (outcomes[i]) continue
    if (!withRows.has(batchId)) {
      toInsert.push(i)
      continue
    }
    const already = await storedContentOfBatch(db, spec, batchId)
    if (!already) toInsert.push(i)
    // Same batch id, other records (even with equal count and sum): the sender changed the batch.
    else if (already.contentHash !== batch.contentHash) outcomes[i] = { ok: false, error: conflict(spec, batchId) }
    else recovered.push(i)
  }
  let inserted = true
  try {
    await insertTogether(db, spec, toInsert.map((i) => deliveries[i].batch))
  } catch (error) {
    // The batches it carried fail (their senders retry, and rows it may have left are then found
    // above); duplicates, conflicts and recovered batches are answered as they are.
    inserted = false
    for (const i of toInsert) outcomes[i] = { ok: false, error }
  }
  const recording = inserted ? [...recovered, ...toInsert] : recovered
  try {
    await recordLedgerEntries(db, recording.map((i) => ledgerEntryOf(spec, deliveries[i])))
    for (const i of recording) outcomes[i] = { ok: true, value: stored(spec, deliveries[i]) }
    // A recovered batch's delivery is its sender's first acknowledgment, so it is answered as stored.
    for (const i of recovered) outcomes[i] = { ok: true, value: { ...stored(spec, deliveries[i]), recovered: true } }
  } catch (error) {
    for (const i of recording) outcomes[i] = { ok: false, error }
  }
  return outcomes as Array<Settled<StoreOutcome>>
}

function stored(spec: FeedSpec, { batchId, batch }: Delivery): Extract<StoreOutcome, { status: 'stored' }> {
  return { status: 'stored', feed: spec.feed, batchId, rows: batch.rows, amount: Number(yuanText(batch.amountCents)) }
}

function ledgerEntryOf(spec: FeedSpec, { batchId, batch }: Delivery): LedgerEntry {
  return { feed: spec.feed, batchId, contentHash: batch.contentHash, rows: batch.rows, amountCents: batch.amountCents, newestTime: batch.newestTime }
}

function conflict(spec: FeedSpec, batchId: string): HttpError {
  return new HttpError(409, `batch ${batchId} of feed ${spec.feed} was already stored with different content; send changes under a new batchId`)
}
