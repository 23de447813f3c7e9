import type { Db } from '../../db/client'
import { quoteIdentifier } from '../../db/client'

/**
 * Every text column of every stored table of the database, searched for any of `secrets` in clear
 * (channel secrets, robot tokens). Views are skipped: what they show is stored in their tables.
 * Returns the table.column places where a secret was found, with the number of rows.
 */
export async function findSecretsInDb(db: Db, secrets: string[]): Promise<Array<{ place: string; rows: number }>> {
  const listed = await db.client.query({
    query: `SELECT c.table AS table, groupArray(c.name) AS columns
            FROM system.columns AS c INNER JOIN system.tables AS t ON t.database = c.database AND t.name = c.table
            WHERE c.database = currentDatabase() AND c.type LIKE '%String%' AND t.engine NOT IN ('View', 'MaterializedView')
            GROUP BY c.table ORDER BY c.table`,
    format: 'JSONEachRow',
  })
  const found: Array<{ place: string; rows: number }> = []
  for (const { table, columns } of await listed.json<{ table: string; columns: string[] }>()) {
    // Names come from the database's own catalogue; quoteIdentifier refuses anything unusual.
    const counts = columns.map((column, i) => `countIf(multiSearchAny(toString(${quoteIdentifier(column)}), {secrets:Array(String)})) AS c${i}`)
    const result = await db.client.query({
      query: `SELECT ${counts.join(', ')} FROM ${quoteIdentifier(table)}`,
      query_params: { secrets },
      format: 'JSONEachRow',
    })
    const [row] = await result.json<Record<string, string | number>>()
    columns.forEach((column, i) => {
      const rows = Number(row?.[`c${i}`] ?? 0)
      if (rows > 0) found.push({ place: `${table}.${column}`, rows })
    })
  }
  return found
}
