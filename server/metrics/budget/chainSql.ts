import { z } from 'zod'
import type { Db } from '../../db/client'
import { countyOf } from '../../../geo/regions'
import { budgetCondition, levelOf, regionParam } from '../sql/region'
import { selectOne, type QueryParams } from '../sql/query'
import { dayParam, shanghaiDate } from '../sql/time'

/**
 * The budget chain of one fiscal year, as SQL the budget metrics share: the year's indicators
 * (in the region's county, or all for the city), their spending plans, those plans' vouchers and
 * what reached personal cards against each voucher (agg_voucher_paid, 成功 only). Budget is held
 * per county (mof_div_code), so a town or village reads its county's chain.
 */
export const budgetParams = z
  .object({
    region: regionParam,
    year: z.coerce.number().int().min(2000).max(2099).optional().describe('fiscal year; default the latest with indicators'),
    day: dayParam.optional().describe('as-of day for 序时进度; default today in Shanghai'),
  })
  .strict()
export type BudgetParams = z.infer<typeof budgetParams>

export const CHAIN_CTES = `
WITH
  indicators AS (
    SELECT indicator_id, county_code, dept, amount, issued_date FROM budget_indicator FINAL
    WHERE fiscal_year = {year:UInt16} AND %REGION%),
  plans AS (
    SELECT plan_id, indicator_id, amount FROM spending_plan FINAL
    WHERE indicator_id IN (SELECT indicator_id FROM indicators)),
  vouchers AS (
    SELECT voucher_id, plan_id, amount FROM payment_voucher FINAL
    WHERE plan_id IN (SELECT plan_id FROM plans)),
  paid_by_voucher AS (
    SELECT voucher_id, sum(amount_paid) AS paid FROM agg_voucher_paid
    WHERE voucher_id IN (SELECT voucher_id FROM vouchers) GROUP BY voucher_id),
  paid_by_indicator AS (
    SELECT p.indicator_id AS indicator_id, sum(pv.paid) AS paid
    FROM plans AS p INNER JOIN vouchers AS v ON v.plan_id = p.plan_id
    INNER JOIN paid_by_voucher AS pv ON pv.voucher_id = v.voucher_id
    GROUP BY p.indicator_id)`

export interface ChainScope {
  ctes: string
  params: QueryParams
  year: number
  day: string
}

/** Resolves the year (latest with indicators unless given) and the region condition. */
export async function chainScope(db: Db, params: BudgetParams): Promise<ChainScope> {
  const day = params.day ?? shanghaiDate()
  const year = params.year ?? (await latestFiscalYear(db)) ?? Number(day.slice(0, 4))
  const county = levelOf(params.region) === 'city' ? '' : countyOf(params.region)!
  return { ctes: CHAIN_CTES.replace('%REGION%', budgetCondition(params.region)), params: { year, county }, year, day }
}

async function latestFiscalYear(db: Db): Promise<number | undefined> {
  const row = await selectOne(db, 'SELECT max(fiscal_year) AS year FROM budget_indicator', {}, z.object({ year: z.coerce.number() }))
  return row.year > 0 ? row.year : undefined
}
