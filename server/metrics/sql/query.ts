import type { z } from 'zod'
import type { Db } from '../../db/client'

export type QueryParams = Record<string, string | number | string[] | number[]>

/**
 * Raw rows of identical queries (same SQL, same parameters) shared while a cache is attached to a
 * Db (see withQueryCache): the live hub answers many panels of one tick from one query, e.g. the
 * region summary behind total, count, success rate, status split and trends.
 */
const queryCaches = new WeakMap<Db, Map<string, Promise<unknown[]>>>()

/** The same database with a query cache; `clear()` forgets every result (the hub does each tick and on new data). */
export function withQueryCache(db: Db): { db: Db; clear(): void } {
  const cached: Db = { ...db }
  const cache = new Map<string, Promise<unknown[]>>()
  queryCaches.set(cached, cache)
  return { db: cached, clear: () => cache.clear() }
}

async function fetchRows(db: Db, sql: string, params: QueryParams): Promise<unknown[]> {
  const result = await db.client.query({ query: sql, query_params: params, format: 'JSONEachRow' })
  return result.json<unknown>()
}

function cachedRows(db: Db, sql: string, params: QueryParams): Promise<unknown[]> {
  const cache = queryCaches.get(db)
  if (!cache) return fetchRows(db, sql, params)
  const key = `${sql}\u0000${JSON.stringify(params)}`
  let rows = cache.get(key)
  if (!rows) {
    rows = fetchRows(db, sql, params)
    // A failure is not remembered: the next panel or tick asks again.
    rows.catch(() => cache.delete(key))
    cache.set(key, rows)
  }
  return rows
}

/**
 * Runs one SELECT with ClickHouse parameters and parses every row with `row`. Values only ever
 * travel in `params`; `sql` is a constant template plus whitelisted fragments.
 */
export async function selectRows<S extends z.ZodType>(db: Db, sql: string, params: QueryParams, row: S): Promise<Array<z.infer<S>>> {
  const rows = await cachedRows(db, sql, params)
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
