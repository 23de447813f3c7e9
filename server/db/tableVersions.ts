import type { Db } from './client'

/**
 * A version string per table from the active parts: an insert adds a part with a new block number,
 * a mutation raises data_version, and the row count moves with both (a deduplicating merge moves
 * it too, which costs one needless re-run, never a missed one). Reading system.parts takes a few
 * milliseconds, against seconds for re-running a rule over millions of payments. The rule engine
 * and the live hub both ask it whether anything changed.
 */
export type TableVersions = ReadonlyMap<string, string>

export async function readTableVersions(db: Db): Promise<TableVersions> {
  const result = await db.client.query({
    query: `SELECT table, concat(toString(max(max_block_number)), ':', toString(max(data_version)), ':', toString(sum(rows))) AS version
            FROM system.parts
            WHERE active AND database = currentDatabase()
            GROUP BY table`,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{ table: string; version: string }>()
  return new Map(rows.map((row) => [row.table, row.version]))
}
