import type { Db } from '../../db/client'
import { CITY_CODE, getRegion } from '../../../geo/regions'
import { scopeCondition } from '../scope'
import { select } from '../sql'

/**
 * A flag's amount is the money paid on its records (rules/catalog/sqlParts.ts), and a case can
 * span counties (R03: the same person paid in two). A viewer below the city sees the flag of a
 * case in their region, but only the money paid inside their scope: the rest is another
 * county's business, and its size alone says something about records they may not see.
 * Flags without records (budget, idle-fund and chain rules) are about their own region only.
 */
export async function amountsWithinScope<T extends { amount: number | string | null; detail_ids: string[] }>(db: Db, scope: string, rows: T[]): Promise<T[]> {
  if (scope === CITY_CODE) return rows
  const ids = [...new Set(rows.flatMap((row) => row.detail_ids))]
  if (ids.length === 0) return rows
  const inScope = scopeCondition(scope)
  const paid = await select<{ detail_id: string; paid: number | string }>(
    db,
    `SELECT detail_id, toFloat64(sumIf(amount_paid, status IN ('成功', '在途'))) AS paid FROM payment_detail
     WHERE detail_id IN {ids:Array(String)} AND ${inScope.sql} GROUP BY detail_id`,
    { ids, ...inScope.params },
  )
  return withVisibleAmounts(rows, new Map(paid.map((row) => [row.detail_id, Number(row.paid)])))
}

type ScopedRow = { amount: number | string | null; detail_ids: string[] }

function withVisibleAmounts<T extends ScopedRow>(rows: T[], visible: Map<string, number>): T[] {
  return rows.map((row) => {
    if (row.amount === null || row.detail_ids.every((id) => visible.has(id))) return row
    const sum = row.detail_ids.reduce((total, id) => total + (visible.get(id) ?? 0), 0)
    return { ...row, amount: Math.round(sum * 100) / 100 }
  })
}

/**
 * The same for many scopes at once (a warm pass of the wall ticker): one read of the records
 * behind every region's flags, each region then keeping the money paid inside it.
 */
export async function amountsWithinScopes<T extends ScopedRow>(db: Db, rowsByScope: Map<string, T[]>): Promise<Map<string, T[]>> {
  const below = [...rowsByScope].filter(([scope]) => scope !== CITY_CODE)
  const ids = [...new Set(below.flatMap(([, rows]) => rows.flatMap((row) => row.detail_ids)))]
  if (ids.length === 0) return rowsByScope
  const paid = await select<{ detail_id: string; county_code: string; town_code: string; paid: number | string }>(
    db,
    `SELECT detail_id, county_code, town_code, toFloat64(sumIf(amount_paid, status IN ('成功', '在途'))) AS paid FROM payment_detail
     WHERE detail_id IN {ids:Array(String)} GROUP BY detail_id, county_code, town_code`,
    { ids },
  )
  const scoped = new Map(rowsByScope)
  for (const [scope, rows] of below) {
    const column = getRegion(scope)?.level === 'county' ? 'county_code' : 'town_code'
    const visible = new Map(paid.filter((row) => row[column] === scope).map((row) => [row.detail_id, Number(row.paid)]))
    scoped.set(scope, withVisibleAmounts(rows, visible))
  }
  return scoped
}

/** A pushed flag's amount as seen from a scope (see flagAmountsForScopes). */
export type AmountForScope = (flagId: string, scope: string, amount: number | null) => number | null

/**
 * The same rule for flags pushed live to open sockets (the wall's ticker and its critical-flag
 * card), where each socket has its own scope: the flags' records are read once, and the answer
 * fits any scope without another query. A county's wall once got a two-county case's whole sum.
 */
export async function flagAmountsForScopes(db: Db, flagIds: string[]): Promise<AmountForScope> {
  const flags = flagIds.length === 0 ? [] : await select<{ flag_id: string; detail_ids: string[] }>(
    db,
    'SELECT flag_id, detail_ids FROM flag WHERE flag_id IN {ids:Array(String)} LIMIT 1 BY flag_id',
    { ids: flagIds },
  )
  const detailIds = new Map(flags.map((flag) => [flag.flag_id, flag.detail_ids]))
  const ids = [...new Set(flags.flatMap((flag) => flag.detail_ids))]
  const records = ids.length === 0 ? [] : await select<{ detail_id: string; county_code: string; town_code: string; village_code: string; paid: number | string }>(
    db,
    `SELECT detail_id, county_code, town_code, village_code, toFloat64(sumIf(amount_paid, status IN ('成功', '在途'))) AS paid FROM payment_detail
     WHERE detail_id IN {ids:Array(String)} GROUP BY detail_id, county_code, town_code, village_code`,
    { ids },
  )
  return (flagId, scope, amount) => {
    const flagRecords = detailIds.get(flagId)
    if (scope === CITY_CODE || !flagRecords || flagRecords.length === 0) return amount
    const inside = new Set(flagRecords)
    const visible = new Map(
      records
        .filter((row) => inside.has(row.detail_id) && [row.county_code, row.town_code, row.village_code].includes(scope))
        .map((row) => [row.detail_id, Number(row.paid)]),
    )
    const [seen] = withVisibleAmounts([{ amount, detail_ids: flagRecords }], visible)
    return seen.amount === null ? null : Number(seen.amount)
  }
}
