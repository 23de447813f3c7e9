import type { z } from 'zod'
import type { Db } from '../../db/client'

export type QueryParams = Record<string, string | number | string[] | number[]>

/**
 * Runs one SELECT with ClickHouse parameters and parses every row with `row`. Values only ever
 * travel in `params`; `sql` is a constant template plus whitelisted fragments.
 */
export async function selectRows<S extends z.ZodType>(db: Db, sql: string, params: QueryParams, row: S): Promise<Array<z.infer<S>>> {
  const result = await db.client.query({ query: sql, query_params: params, format: 'JSONEachRow' })
  const rows = await result.json<unknown>()
  return rows.map((value) => row.parse(value))
}

export async function selectOne<S extends z.ZodType>(db: Db, sql: string, params: QueryParams, row: S): Promise<z.infer<S>> {
  const [first] = await selectRows(db, sql, params, row)
  if (first === undefined) throw new Error('query returned no row')
  return first
}

/** Two decimals, as money is shown; avoids 0.30000000000000004 in panels and tests. */
export function roundMoney(value: number): number {
  return Math.round(value * 100) / 100
}

export function roundPercent(value: number): number {
  return Math.round(value * 100) / 100
}
