import type { Db } from '../db/client'

/** One SELECT with ClickHouse parameters, rows as JSON objects. Values travel only in `params`. */
export async function select<T>(db: Db, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await db.client.query({ query, query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}

export async function insertRows(db: Db, table: string, rows: readonly object[]): Promise<void> {
  if (rows.length > 0) await db.client.insert({ table, values: rows as object[], format: 'JSONEachRow' })
}
