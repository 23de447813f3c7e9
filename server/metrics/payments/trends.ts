import { z } from 'zod'
import type { Db } from '../../db/client'
import { defineMetric, HISTORY_REFRESH_MS } from '../define'
import { byRegion, perRegion, roundMoney, selectRows } from '../sql/query'
import { monthLabel, monthsEndingAt, yearMonthParam } from '../sql/time'
import { monthRollupQuery, paymentFilterShape, refuseVillageProject } from './filters'
import { selectRegionMonths, type MonthStatusRow } from './regionMonths'
import { beijingMonth } from '../../beijingTime'

function paidBy(rows: MonthStatusRow[], key: (ym: number) => number): Map<number, { amount: number; payments: number }> {
  const totals = new Map<number, { amount: number; payments: number }>()
  for (const row of rows) {
    if (row.status !== '成功') continue
    const total = totals.get(key(row.ym)) ?? { amount: 0, payments: 0 }
    total.amount += row.amount
    total.payments += row.payments
    totals.set(key(row.ym), total)
  }
  return totals
}

/** The amounts of the same months a year earlier, drawn as a dashed line on the amounts' axis. */
export const LAST_YEAR_SERIES = '上年同期金额'

/** The last `months` pay months ending at `to` (default: this month), empty months as 0. */
export const paymentsByMonth = defineMetric({
  name: 'payments.byMonth',
  title: '月度发放趋势',
  params: z
    .object({
      region: paymentFilterShape.region,
      project: paymentFilterShape.project,
      dept: paymentFilterShape.dept,
      to: yearMonthParam.optional(),
      months: z.coerce.number().int().min(1).max(120).default(24),
    })
    .strict()
    .superRefine(refuseVillageProject),
  reads: ['payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => {
    const months = monthsEndingAt(params.to ?? beijingMonth(), params.months)
    const byMonth = paidBy(await selectRegionMonths(db, params), (ym) => ym)
    const series = [
      { name: '金额', values: months.map((month) => roundMoney(byMonth.get(month)?.amount ?? 0)) },
      { name: '人次', values: months.map((month) => byMonth.get(month)?.payments ?? 0) },
    ]
    // A year or less is read against the same months a year earlier (a 24-month wall trend already shows them).
    if (params.months <= 12)
      series.push({ name: LAST_YEAR_SERIES, values: months.map((month) => roundMoney(byMonth.get(month - 100)?.amount ?? 0)) })
    return { kind: 'series', categories: months.map(monthLabel), series }
  },
})

const yearPersonsRow = z.object({ year: z.coerce.number(), persons: z.coerce.number() })
const yearPersonsRegionRow = yearPersonsRow.extend({ region: z.string() })

/** Distinct persons per pay year: one state per year and region, or the monthly states under a project or department filter. */
function selectPersonsByYear(db: Db, filter: { region: string; project?: string; dept?: string }): Promise<Array<z.infer<typeof yearPersonsRow>>> {
  if (filter.project === undefined && filter.dept === undefined)
    return perRegion(db, 'personsByYear', filter.region, {
      all: async (regions) =>
        byRegion(
          await selectRows(
            db,
            `SELECT toString(region_code) AS region, year, uniqExactMerge(persons) AS persons FROM agg_region_persons_year
             WHERE region_code IN {regions:Array(String)} GROUP BY region, year`,
            { regions },
            yearPersonsRegionRow,
          ),
        ),
      one: () =>
        selectRows(
          db,
          'SELECT year, uniqExactMerge(persons) AS persons FROM agg_region_persons_year WHERE region_code = {region:String} GROUP BY year',
          { region: filter.region },
          yearPersonsRow,
        ),
      empty: [],
    })
  const { table, where, params } = monthRollupQuery(filter)
  return selectRows(
    db,
    `SELECT toYear(month) AS year, uniqExactMerge(persons) AS persons FROM ${table} WHERE status = '成功' AND ${where} GROUP BY year`,
    params,
    yearPersonsRow,
  )
}

/** Every pay year with data, oldest first. */
export const paymentsByYear = defineMetric({
  name: 'payments.byYear',
  title: '年度发放',
  params: z
    .object({ region: paymentFilterShape.region, project: paymentFilterShape.project, dept: paymentFilterShape.dept })
    .strict()
    .superRefine(refuseVillageProject),
  reads: ['payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => {
    const [months, personRows] = await Promise.all([selectRegionMonths(db, params), selectPersonsByYear(db, params)])
    const byYear = paidBy(months, (ym) => Math.floor(ym / 100))
    const persons = new Map(personRows.map((row) => [row.year, row.persons]))
    const years = [...byYear.keys()].sort((a, b) => a - b)
    return {
      kind: 'series',
      categories: years.map((year) => `${year}年`),
      series: [
        { name: '金额', values: years.map((year) => roundMoney(byYear.get(year)!.amount)) },
        { name: '人次', values: years.map((year) => byYear.get(year)!.payments) },
        { name: '人数', values: years.map((year) => persons.get(year) ?? 0) },
      ],
    }
  },
})
