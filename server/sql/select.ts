import type { z } from 'zod'
import type { Db } from '../db/client'
import { param, sql, type SqlFragment } from './fragment'

/**
 * The one way domain modules read rows: a fragment, run with its parameters, every row parsed with
 * `row` (no casts: a column that changes type fails here, named, not three layers up).
 */
export async function select<S extends z.ZodType>(db: Db, query: SqlFragment, row: S): Promise<Array<z.infer<S>>> {
  const result = await db.client.query({ query: query.text, query_params: { ...query.params }, format: 'JSONEachRow' })
  return (await result.json<unknown>()).map((value) => row.parse(value))
}

/** The first row, or null when there is none. */
export async function selectFirst<S extends z.ZodType>(db: Db, query: SqlFragment, row: S): Promise<z.infer<S> | null> {
  const [first] = await select(db, query, row)
  return first ?? null
}

/** The paging rule of every paged list: pages count from 1; a page holds 1 to MAX_PAGE_SIZE rows. */
export const MAX_PAGE_SIZE = 100

export interface Paging {
  page: number
  pageSize: number
}

/**
 * One page of `query` (a SELECT with its ORDER BY and no LIMIT), with the paging rule applied:
 * LIMIT pageSize OFFSET (page − 1) × pageSize, as parameters.
 */
export async function selectPage<S extends z.ZodType>(db: Db, query: SqlFragment, paging: Paging, row: S): Promise<Array<z.infer<S>>> {
  if (!Number.isInteger(paging.page) || paging.page < 1) throw new Error(`page ${paging.page} is not a page number`)
  if (!Number.isInteger(paging.pageSize) || paging.pageSize < 1 || paging.pageSize > MAX_PAGE_SIZE) throw new Error(`page size ${paging.pageSize} is outside 1–${MAX_PAGE_SIZE}`)
  const offset = (paging.page - 1) * paging.pageSize
  return select(db, sql`${query} LIMIT ${param('limit', 'UInt32', paging.pageSize)} OFFSET ${param('offset', 'UInt32', offset)}`, row)
}
