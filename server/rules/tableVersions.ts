import type { Db } from '../db/client'
import { select } from './sql'
import type { RuleTable } from './types'

/**
 * A version string per table from the active parts: an insert adds a part with a new block number,
 * a mutation raises data_version, and the row count moves with both (a deduplicating merge moves
 * it too, which costs one needless re-run, never a missed one). Reading system.parts takes a few
 * milliseconds, against seconds for re-running a rule over millions of payments.
 */
export type TableVersions = ReadonlyMap<string, string>

export async function readTableVersions(db: Db): Promise<TableVersions> {
  const rows = await select<{ table: string; version: string }>(
    db,
    `SELECT table, concat(toString(max(max_block_number)), ':', toString(max(data_version)), ':', toString(sum(rows))) AS version
     FROM system.parts
     WHERE active AND database = currentDatabase()
     GROUP BY table`,
  )
  return new Map(rows.map((row) => [row.table, row.version]))
}

/** What a rule's result depends on: the evaluation day and the versions of the tables it reads. */
export function inputsKey(day: string, tables: readonly RuleTable[], versions: TableVersions): string {
  return [day, ...tables.map((table) => `${table}=${versions.get(table) ?? 'empty'}`)].join('|')
}
