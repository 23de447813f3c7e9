import { z } from 'zod'
import type { Db } from '../../db/client'
import { defineMetric, HISTORY_REFRESH_MS } from '../define'
import { projectName } from '../../catalogue/projectFacts'
import { paymentFilterShape } from './filters'
import { regionCondition, regionUpToTownParam } from '../sql/region'
import { byRegion, perRegion, roundMoney, selectRows } from '../sql/query'
import { monthRange, yearMonthParam } from '../sql/time'
import type { QueryParams } from '../sql/query'
import type { PanelData } from '../../../dashboards/types'

/** Breakdowns over rollups that stop at town level (agg_region_project_month, agg_region_bank_month, agg_age_town_month, agg_region_age_persons). */
const breakdownParams = z
  .object({ region: regionUpToTownParam, from: yearMonthParam.optional(), to: yearMonthParam.optional() })
  .strict()
type BreakdownParams = z.infer<typeof breakdownParams>

/** Paid (成功) rows of the town-level age rollup within the months. */
function paidWhere(params: BreakdownParams): { where: string; queryParams: QueryParams } {
  const conditions = ["status = '成功'", regionCondition(params.region)]
  return withMonths(conditions, { region: params.region }, params)
}

/** The region-keyed rollups (agg_region_project_month, agg_region_bank_month) hold paid rows only. */
function regionWhere(params: BreakdownParams): { where: string; queryParams: QueryParams } {
  return withMonths(['region_code = {region:String}'], { region: params.region }, params)
}

function withMonths(conditions: string[], queryParams: QueryParams, range: { from?: number; to?: number }) {
  const months = monthRange(range)
  return { where: [...conditions, ...months.conditions].join(' AND '), queryParams: { ...queryParams, ...months.params } }
}

const groupRow = z.object({ key: z.string(), amount: z.coerce.number(), payments: z.coerce.number() })
const groupRegionRow = groupRow.extend({ region: z.string() })

function amountAndCount(rows: Array<z.infer<typeof groupRow>>, label: (key: string) => string = (key) => key): PanelData {
  return {
    kind: 'series',
    categories: rows.map((row) => label(row.key)),
    series: [
      { name: '金额', values: rows.map((row) => roundMoney(row.amount)) },
      { name: '人次', values: rows.map((row) => row.payments) },
    ],
  }
}

const projectDeptRow = z.object({ project: z.string(), dept: z.string(), amount: z.coerce.number(), payments: z.coerce.number() })
const projectDeptRegionRow = projectDeptRow.extend({ region: z.string() })

/** The project × department rollup also follows the review page's project and department filters. */
const projectDeptParams = breakdownParams.extend({ project: paymentFilterShape.project, dept: paymentFilterShape.dept }).strict()
type ProjectDeptParams = z.infer<typeof projectDeptParams>

/**
 * Paid per project × department: the project and the department panels share this one query. The
 * filters are applied to its rows, so a filtered panel and the live panels still share the query.
 */
async function selectPaidByProjectDept(db: Db, params: ProjectDeptParams) {
  const rows = await selectPaidByProjectDeptOfRegion(db, params)
  return rows.filter((row) => (params.project === undefined || row.project === params.project) && (params.dept === undefined || row.dept === params.dept))
}

function selectPaidByProjectDeptOfRegion(db: Db, params: BreakdownParams) {
  const { where, queryParams } = regionWhere(params)
  const one = () =>
    selectRows(
      db,
      `SELECT project_code AS project, dept, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
       FROM agg_region_project_month WHERE ${where} GROUP BY project, dept`,
      queryParams,
      projectDeptRow,
    )
  if (params.from !== undefined || params.to !== undefined) return one()
  return perRegion(db, 'paidByProjectDept', params.region, {
    all: async (regions) =>
      byRegion(
        await selectRows(
          db,
          `SELECT toString(region_code) AS region, project_code AS project, dept, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
           FROM agg_region_project_month WHERE region_code IN {regions:Array(String)} GROUP BY region, project, dept`,
          { regions },
          projectDeptRegionRow,
        ),
      ),
    one,
    empty: [],
  })
}

/** Sums by `key`, largest amount first, ties by key (as ORDER BY amount DESC, key would). */
function totalsBy(rows: Array<z.infer<typeof projectDeptRow>>, key: 'project' | 'dept'): Array<z.infer<typeof groupRow>> {
  const totals = new Map<string, { key: string; amount: number; payments: number }>()
  for (const row of rows) {
    const total = totals.get(row[key]) ?? { key: row[key], amount: 0, payments: 0 }
    total.amount += row.amount
    total.payments += row.payments
    totals.set(row[key], total)
  }
  return [...totals.values()].sort((a, b) => roundMoney(b.amount) - roundMoney(a.amount) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

export const paymentsByProject = defineMetric({
  name: 'payments.byProject',
  title: '补贴项目发放',
  params: projectDeptParams.extend({ limit: z.coerce.number().int().min(1).max(100).default(10) }).strict(),
  reads: ['payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => amountAndCount(totalsBy(await selectPaidByProjectDept(db, params), 'project').slice(0, params.limit), projectName),
})

export const paymentsByDept = defineMetric({
  name: 'payments.byDept',
  title: '主管部门发放',
  params: projectDeptParams,
  reads: ['payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => amountAndCount(totalsBy(await selectPaidByProjectDept(db, params), 'dept')),
})

export const paymentsByBank = defineMetric({
  name: 'payments.byBank',
  title: '代发银行',
  params: breakdownParams,
  reads: ['payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => amountAndCount(await selectPaidByBank(db, params)),
})

function selectPaidByBank(db: Db, params: BreakdownParams): Promise<Array<z.infer<typeof groupRow>>> {
  const { where, queryParams } = regionWhere(params)
  const one = () =>
    selectRows(
      db,
      `SELECT bank AS key, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
       FROM agg_region_bank_month WHERE ${where} GROUP BY key ORDER BY amount DESC, key`,
      queryParams,
      groupRow,
    )
  if (params.from !== undefined || params.to !== undefined) return one()
  return perRegion(db, 'paidByBank', params.region, {
    all: async (regions) =>
      byRegion(
        await selectRows(
          db,
          `SELECT toString(region_code) AS region, bank AS key, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
           FROM agg_region_bank_month WHERE region_code IN {regions:Array(String)} GROUP BY region, key ORDER BY region, amount DESC, key`,
          { regions },
          groupRegionRow,
        ),
      ),
    one,
    empty: [],
  })
}

const AGE_BANDS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90] as const
const GENDERS = ['男', '女'] as const
const MEASURES = { count: 'sum(payments)', persons: 'uniqExactMerge(persons)', amount: 'toFloat64(sum(amount_paid))' } as const

/** The population pyramid: 10-year age bands (at pay time) × gender; 人次 by default. */
export const paymentsByAgeBand = defineMetric({
  name: 'payments.byAgeBand',
  title: '受益人年龄结构',
  params: breakdownParams.extend({ measure: z.enum(['count', 'persons', 'amount']).default('count') }).strict(),
  reads: ['payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => {
    const rows = await selectAgeBands(db, params)
    const value = (band: number, gender: string) => rows.find((row) => row.band === band && row.gender === gender)?.value ?? 0
    return {
      kind: 'series',
      categories: AGE_BANDS.map((band) => (band === 90 ? '90岁以上' : `${band}-${band + 9}岁`)),
      series: GENDERS.map((gender) => ({
        name: gender,
        values: AGE_BANDS.map((band) => (params.measure === 'amount' ? roundMoney(value(band, gender)) : value(band, gender))),
      })),
    }
  },
})

const ageRow = z.object({ band: z.coerce.number(), gender: z.enum(GENDERS), value: z.coerce.number() })
const ageRegionRow = ageRow.extend({ region: z.string() })

/** Age band × gender of a region; in a warm pass one read of the town rollup fans out to town, county and city. */
function selectAgeBands(db: Db, params: BreakdownParams & { measure: keyof typeof MEASURES }): Promise<Array<z.infer<typeof ageRow>>> {
  const { where, queryParams } = paidWhere(params)
  const one = () =>
    selectRows(
      db,
      `SELECT age_band AS band, toString(gender) AS gender, ${MEASURES[params.measure]} AS value
       FROM agg_age_town_month WHERE ${where} GROUP BY band, gender`,
      queryParams,
      ageRow,
    )
  if (params.from !== undefined || params.to !== undefined) return one()
  // People are counted from the rollup that keeps each region's set whole (merging every month's
  // sets of every town was a pass's most expensive select); 人次 and amounts sum the monthly one.
  const all =
    params.measure === 'persons'
      ? `SELECT toString(region_code) AS region, age_band AS band, toString(gender) AS gender, uniqExactMerge(persons) AS value
         FROM agg_region_age_persons WHERE region_code IN {regions:Array(String)} GROUP BY region, band, gender`
      : `SELECT arrayJoin(['511000', toString(county_code), toString(town_code)]) AS region,
                age_band AS band, toString(gender) AS gender, ${MEASURES[params.measure]} AS value
         FROM agg_age_town_month WHERE status = '成功' GROUP BY region, band, gender HAVING region IN {regions:Array(String)}`
  return perRegion(db, `ageBands|${params.measure}`, params.region, {
    all: async (regions) => byRegion(await selectRows(db, all, { regions }, ageRegionRow)),
    one,
    empty: [],
  })
}
