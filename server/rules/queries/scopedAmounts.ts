import type { Db } from '../../db/client'
import { CITY_CODE } from '../../../geo/regions'
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
  const visible = new Map(paid.map((row) => [row.detail_id, Number(row.paid)]))
  return rows.map((row) => {
    if (row.amount === null || row.detail_ids.every((id) => visible.has(id))) return row
    const sum = row.detail_ids.reduce((total, id) => total + (visible.get(id) ?? 0), 0)
    return { ...row, amount: Math.round(sum * 100) / 100 }
  })
}
