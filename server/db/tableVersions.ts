import type { Db } from './client'

/**
 * A version string per table from the active parts, which moves when the table's data moves and
 * not when the engine only reorganises it:
 *   - an insert adds a part with a new, higher block number (max_block_number);
 *   - a mutation (ALTER UPDATE/DELETE, lightweight delete) rewrites parts with its own version, a
 *     block number above every part it covers (a part never mutated has data_version = its
 *     min_block_number, which a merge lowers: only the mutation versions are counted);
 *   - a dropped part or partition takes its block range away (the sum of the ranges falls).
 * A background merge keeps all three: the merged part covers exactly the block ranges of the parts
 * it replaces, and keeps their highest mutation version. The row count is not part of the version: a
 * replacing or aggregating merge lowers it with no change in what a query reads, and on an idle
 * wall (merges forced every 10 minutes, migration 091) that made every clock refresh a full pass.
 * A range can only grow by a merge across a gap left by a dropped part: one needless re-run, never
 * a missed one. Reading system.parts takes a few milliseconds, against seconds for re-running a
 * rule over millions of payments. The rule engine, the live hub and the rollup healer ask it.
 */
export type TableVersions = ReadonlyMap<string, string>

export async function readTableVersions(db: Db): Promise<TableVersions> {
  const result = await db.client.query({
    query: `SELECT table, concat(toString(max(max_block_number)), ':', toString(max(if(data_version > max_block_number, data_version, 0))), ':',
                                 toString(sum(max_block_number - min_block_number + 1))) AS version
            FROM system.parts
            WHERE active AND database = currentDatabase()
            GROUP BY table`,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{ table: string; version: string }>()
  return new Map(rows.map((row) => [row.table, row.version]))
}
