import { z } from 'zod'
import type { Db } from '../../db/client'
import { perRegion, selectRows } from '../sql/query'
import type { ChainScope } from './chainSql'

/**
 * The year's budget chain per indicator: its amount, whether it was issued (下达), and what was
 * planned, vouchered and paid to cards against it. The chain funnel and the execution rates
 * (overall, by county, by department) are sums over these rows, so the budget theme reads the
 * chain once per tick (the hub's query cache), not once per panel.
 */
const indicatorRow = z.object({
  county: z.string(),
  dept: z.string(),
  project: z.string(),
  amount: z.coerce.number(),
  issued: z.coerce.number(),
  planned: z.coerce.number(),
  vouchered: z.coerce.number(),
  paid: z.coerce.number(),
})
export type IndicatorChainRow = z.infer<typeof indicatorRow>

/**
 * Each stage is read once (ClickHouse inlines a CTE at every use: the CTE version of this query
 * read the plans four times and took 120–280 ms at 10M payments). The IN sets keep every stage to
 * the year's and region's chain: vouchers of those plans, payments against those vouchers.
 */
export async function selectIndicatorChain(db: Db, scope: ChainScope): Promise<IndicatorChainRow[]> {
  const { project, dept } = scope.only
  const rows = await selectRegionChain(db, scope)
  return rows.filter((row) => (project === undefined || row.project === project) && (dept === undefined || row.dept === dept))
}

function selectRegionChain(db: Db, scope: ChainScope): Promise<IndicatorChainRow[]> {
  const county = typeof scope.params.county === 'string' ? scope.params.county : ''
  if (!county) return readIndicatorChain(db, scope)
  // A row depends on its indicator only, so a county's chain is the city's rows of that county:
  // in a warm pass the city's chain (read once, shared through the query cache) serves every county.
  return perRegion(db, `indicatorChain|${scope.year}`, county, {
    all: async (regions) => {
      const city = await readIndicatorChain(db, { ...scope, regionCondition: '1', params: { ...scope.params, county: '' } })
      return new Map(regions.map((code) => [code, city.filter((row) => row.county === code)]))
    },
    one: () => readIndicatorChain(db, scope),
    empty: [],
  })
}

function readIndicatorChain(db: Db, scope: ChainScope): Promise<IndicatorChainRow[]> {
  const indicatorIds = `SELECT indicator_id FROM budget_indicator FINAL WHERE fiscal_year = {year:UInt16} AND ${scope.regionCondition}`
  const planIds = `SELECT plan_id FROM spending_plan FINAL WHERE indicator_id IN (${indicatorIds})`
  const voucherIds = `SELECT voucher_id FROM payment_voucher FINAL WHERE plan_id IN (${planIds})`
  return selectRows(
    db,
    `SELECT i.indicator_id AS id, i.county_code AS county, i.dept AS dept, i.project_code AS project, toFloat64(i.amount) AS amount,
            i.issued_date IS NOT NULL AS issued, toFloat64(ifNull(c.planned, 0)) AS planned,
            toFloat64(ifNull(c.vouchered, 0)) AS vouchered, toFloat64(ifNull(c.paid, 0)) AS paid
     FROM (SELECT indicator_id, county_code, dept, project_code, amount, issued_date FROM budget_indicator FINAL
           WHERE fiscal_year = {year:UInt16} AND ${scope.regionCondition}) AS i
     LEFT JOIN (
       SELECT p.indicator_id AS indicator_id, sum(p.amount) AS planned, sum(ifNull(v.vouchered, 0)) AS vouchered, sum(ifNull(v.paid, 0)) AS paid
       FROM (SELECT plan_id, indicator_id, amount FROM spending_plan FINAL WHERE indicator_id IN (${indicatorIds})) AS p
       LEFT JOIN (
         SELECT v.plan_id AS plan_id, sum(v.amount) AS vouchered, sum(ifNull(pv.paid, 0)) AS paid
         FROM (SELECT voucher_id, plan_id, amount FROM payment_voucher FINAL WHERE plan_id IN (${planIds})) AS v
         LEFT JOIN (SELECT voucher_id, sum(amount_paid) AS paid FROM agg_voucher_paid
                    WHERE voucher_id IN (${voucherIds}) GROUP BY voucher_id) AS pv ON pv.voucher_id = v.voucher_id
         GROUP BY v.plan_id) AS v ON v.plan_id = p.plan_id
       GROUP BY p.indicator_id) AS c ON c.indicator_id = i.indicator_id
     ORDER BY id
     SETTINGS join_use_nulls = 1`,
    scope.params,
    indicatorRow,
  )
}

export interface ChainTotals {
  allocated: number
  issued: number
  planned: number
  vouchered: number
  paid: number
}

export function chainTotals(rows: IndicatorChainRow[]): ChainTotals {
  const totals: ChainTotals = { allocated: 0, issued: 0, planned: 0, vouchered: 0, paid: 0 }
  for (const row of rows) {
    totals.allocated += row.amount
    if (row.issued) totals.issued += row.amount
    totals.planned += row.planned
    totals.vouchered += row.vouchered
    totals.paid += row.paid
  }
  return totals
}

/** Chain totals per county, department or project, in code order (as ClickHouse orders strings). */
export function chainTotalsBy(rows: IndicatorChainRow[], key: 'county' | 'dept' | 'project'): Array<ChainTotals & { key: string }> {
  const groups = new Map<string, IndicatorChainRow[]>()
  for (const row of rows) groups.set(row[key], [...(groups.get(row[key]) ?? []), row])
  return [...groups.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((group) => ({ key: group, ...chainTotals(groups.get(group)!) }))
}
