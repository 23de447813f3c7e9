import type { Db } from './client'

/**
 * A version string per table from the active parts, which moves when the table's data moves and
 * not when the engine only reorganises it. Per partition it takes the highest block number and
 * the highest mutation version:
 *   - an insert adds a part with a new, higher block number (in each partition it writes to);
 *   - a mutation (ALTER UPDATE/DELETE, lightweight delete) rewrites parts with its own version, a
 *     block number above every part it covers (a part never mutated has data_version = its
 *     min_block_number, which a merge lowers: only the mutation versions are counted);
 *   - a dropped partition or a truncate takes a partition (or every part) away.
 * A background merge keeps all of these: the merged part keeps the highest block number and
 * mutation version of the parts it replaces, in the same partition. Row counts and block ranges
 * are not part of the version: a replacing or aggregating merge lowers the row count, and a merge
 * in a partitioned table widens the range over block numbers of other partitions, with no change
 * in what a query reads (on an idle wall, merges forced every 10 minutes by migration 091 made
 * every clock refresh a full pass). Nothing here drops a single part out of a partition.
 * Reading system.parts takes a few milliseconds, against seconds for re-running a rule over
 * millions of payments. The rule engine, the live hub and the rollup healer ask it.
 */
export type TableVersions = ReadonlyMap<string, string>

export async function readTableVersions(db: Db): Promise<TableVersions> {
  const result = await db.client.query({
    query: `SELECT table, concat(toString(max(top)), ':', toString(max(mutation)), ':', toString(sum(cityHash64(partition_id, top)))) AS version
            FROM (SELECT table, partition_id, max(max_block_number) AS top, max(if(data_version > max_block_number, data_version, 0)) AS mutation
                  FROM system.parts
                  WHERE active AND database = currentDatabase()
                  GROUP BY table, partition_id)
            GROUP BY table`,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{ table: string; version: string }>()
  return new Map(rows.map((row) => [row.table, row.version]))
}
