import type { Db } from '../db/client'
import { backgroundDb, quoteIdentifier } from '../db/client'
import type { IngestGate } from '../ingest/ingestGate'
import { KeyedMutex } from '../ingest/keyedMutex'
import { disagreeing, partitionSums } from './checksum'
import type { Rollup } from './discover'

export interface RollupVerdict {
  table: string
  /** Partitions compared (union of facts-side and rollup-side). */
  partitions: number
  /** Partitions that disagreed with the facts when checked under the gate. */
  mismatched: string[]
  /** Partitions rebuilt from the facts (equal to mismatched when repairing). */
  repaired: string[]
  /** Set when the engine's merge rules are unknown here: compared by nobody. */
  unchecked?: true
}

/** Staging tables live beside the rollup; a crash mid-check leaves one behind, dropped next time. */
export const stagingName = (table: string) => `_heal_${table}`

/**
 * One check of a rollup at a time in this process: two would share its staging table, and one
 * would drop it under the other (the healer's periodic check beside an on-demand one).
 */
const checksByTable = new KeyedMutex()

/**
 * Compares one rollup with its views' SELECTs run over today's facts, partition by partition, and
 * with `repair` swaps every disagreeing partition for the one rebuilt from the facts. Each swap is
 * one `REPLACE PARTITION` (atomic: readers see the old partition or the new one, never a mix).
 *
 * A first comparison runs without holding back ingests, as background work (on chDB the engine's
 * low-priority lane: each of its statements starts when the wall's queries leave a gap; rebuilding
 * a rollup from 2.5M payments holds the engine 0.5–1 s, which the live rooms waited behind at
 * start-up). Only if it disagrees, which an ingest landing between the two snapshots can also
 * cause, is the comparison repeated under the exclusive gate, at the wall's priority (ingests
 * wait for it), where no INSERT can slip between the facts snapshot and the swap.
 */
export async function checkRollup(db: Db, gate: IngestGate, rollup: Rollup, options: { repair: boolean }): Promise<RollupVerdict> {
  return checksByTable.run(rollup.table, () => checkAlone(db, gate, rollup, options))
}

async function checkAlone(db: Db, gate: IngestGate, rollup: Rollup, options: { repair: boolean }): Promise<RollupVerdict> {
  const staging = stagingName(rollup.table)
  const verdict: RollupVerdict = { table: rollup.table, partitions: 0, mismatched: [], repaired: [] }
  try {
    const first = await compare(backgroundDb(db), rollup, staging)
    if (!first) return { ...verdict, unchecked: true }
    verdict.partitions = first.partitions
    if (first.mismatched.length === 0) return verdict
    return await gate.exclusive(async () => {
      const confirmed = (await compare(db, rollup, staging))!
      verdict.partitions = confirmed.partitions
      verdict.mismatched = confirmed.mismatched
      if (options.repair) {
        for (const partition of confirmed.mismatched) {
          await swapPartition(db, rollup.table, staging, partition, confirmed.stagingPartitions.has(partition))
          verdict.repaired.push(partition)
        }
      }
      return verdict
    })
  } finally {
    await db.client.command({ query: `DROP TABLE IF EXISTS ${quoteIdentifier(staging)}` })
  }
}

async function compare(db: Db, rollup: Rollup, staging: string) {
  await rebuildStaging(db, rollup, staging)
  const fromFacts = await partitionSums(db, rollup, staging)
  const current = await partitionSums(db, rollup)
  if (!fromFacts || !current) return null
  return {
    partitions: new Set([...fromFacts.keys(), ...current.keys()]).size,
    mismatched: disagreeing(fromFacts, current),
    stagingPartitions: new Set(fromFacts.keys()),
  }
}

/** An empty copy of the rollup (same engine and partitioning), filled by each view's SELECT over all facts. */
async function rebuildStaging(db: Db, rollup: Rollup, staging: string): Promise<void> {
  const target = quoteIdentifier(staging)
  await db.client.command({ query: `DROP TABLE IF EXISTS ${target}` })
  await db.client.command({ query: `CREATE TABLE ${target} AS ${quoteIdentifier(rollup.table)}` })
  for (const view of rollup.views) {
    const columns = view.columns.map(quoteIdentifier).join(', ')
    // The SELECT is the view's own definition, read from the database catalogue (see discover.ts).
    await db.client.command({ query: `INSERT INTO ${target} (${columns}) SELECT ${columns} FROM (${view.select})` })
  }
}

async function swapPartition(db: Db, table: string, staging: string, partition: string, inFacts: boolean): Promise<void> {
  // Partition ids are ClickHouse's own (hex, digits, 'all'); checked before being written into SQL.
  if (!/^[A-Za-z0-9_-]+$/.test(partition)) throw new Error(`unexpected partition id in ${table}`)
  const query = inFacts
    ? `ALTER TABLE ${quoteIdentifier(table)} REPLACE PARTITION ID '${partition}' FROM ${quoteIdentifier(staging)}`
    : // No fact row belongs there any more: REPLACE from an empty partition is refused, DROP is the same swap.
      `ALTER TABLE ${quoteIdentifier(table)} DROP PARTITION ID '${partition}'`
  await db.client.command({ query })
}
