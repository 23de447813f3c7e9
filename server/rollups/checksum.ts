import type { Db } from '../db/client'
import { quoteIdentifier } from '../db/client'
import type { Rollup, RollupColumn } from './discover'

/** What a rollup partition holds once its rows are merged: number of groups and a hash of them. */
export interface PartitionSum {
  groups: number
  checksum: string
}

/**
 * Per partition of `table` (shaped like `rollup.table`): its rows merged by the sorting key and
 * finalized (sums summed, states merged to values), then counted and hashed. Two tables holding
 * the same figures agree here however their rows are split into parts, merged or not.
 * Null when the engine is not one whose merge rules are known here.
 */
export async function partitionSums(db: Db, rollup: Rollup, table = rollup.table): Promise<Map<string, PartitionSum> | null> {
  const query = checksumQuery(rollup, quoteIdentifier(table))
  if (!query) return null
  const result = await db.client.query({ query, format: 'JSONEachRow' })
  const rows = await result.json<{ partition: string; groups: string | number; checksum: string | number }>()
  return new Map(rows.map((row) => [row.partition, { groups: Number(row.groups), checksum: String(row.checksum) }]))
}

/** Partitions whose figures differ between the two sides (present on one side only included). */
export function disagreeing(a: Map<string, PartitionSum>, b: Map<string, PartitionSum>): string[] {
  const partitions = new Set([...a.keys(), ...b.keys()])
  return [...partitions].filter((p) => a.get(p)?.groups !== b.get(p)?.groups || a.get(p)?.checksum !== b.get(p)?.checksum).sort()
}

function checksumQuery(rollup: Rollup, from: string): string | null {
  const names = rollup.columns.map((column) => quoteIdentifier(column.name))
  const outer = (inner: string) =>
    `SELECT partition, count() AS groups, sum(cityHash64(${names.join(', ')})) AS checksum FROM (${inner}) GROUP BY partition`
  if (rollup.engine === 'MergeTree') return outer(`SELECT _partition_id AS partition, * FROM ${from}`)
  if (rollup.engine !== 'AggregatingMergeTree' && rollup.engine !== 'SummingMergeTree') return null
  const keys = rollup.columns.filter((column) => column.inSortingKey).map((column) => quoteIdentifier(column.name))
  const values = rollup.columns.filter((column) => !column.inSortingKey).map((column) => `${mergedValue(rollup.engine, column)} AS ${quoteIdentifier(column.name)}`)
  return outer(`SELECT _partition_id AS partition, ${[...keys, ...values].join(', ')} FROM ${from} GROUP BY ${['partition', ...keys].join(', ')}`)
}

/** How the engine combines one column when it merges rows with equal keys, as a SELECT expression. */
function mergedValue(engine: string, column: RollupColumn): string {
  const name = quoteIdentifier(column.name)
  const simple = /^SimpleAggregateFunction\((\w+),/.exec(column.type)
  if (simple) return `${simple[1]}(${name})`
  // AggregateFunction(uniq, String) → uniqMerge(x); AggregateFunction(quantiles(0.5), Float64) → quantilesMerge(0.5)(x)
  const state = /^AggregateFunction\((\w+)(\([^)]*\))?[,)]/.exec(column.type)
  if (state) return `${state[1]}Merge${state[2] ?? ''}(${name})`
  if (engine === 'SummingMergeTree' && /^(Nullable\()?(U?Int|Float|Decimal)/.test(column.type)) return `sum(${name})`
  return `any(${name})`
}
