import { z } from 'zod'
import { defineMetric } from '../define'
import { roundMoney, selectRows } from '../sql/query'
import { monthLabel, monthsEndingAt, shanghaiMonth, yearMonthParam } from '../sql/time'
import { monthRollupQuery, paymentFilterShape, refuseVillageProject } from './filters'

const monthRow = z.object({ ym: z.coerce.number(), amount: z.coerce.number(), payments: z.coerce.number() })

/** The last `months` pay months ending at `to` (default: this month), empty months as 0. */
export const paymentsByMonth = defineMetric({
  name: 'payments.byMonth',
  title: '月度发放趋势',
  params: z
    .object({
      region: paymentFilterShape.region,
      project: paymentFilterShape.project,
      to: yearMonthParam.optional(),
      months: z.coerce.number().int().min(1).max(120).default(24),
    })
    .strict()
    .superRefine(refuseVillageProject),
  reads: ['payments'],
  run: async (db, params) => {
    const months = monthsEndingAt(params.to ?? shanghaiMonth(), params.months)
    const { table, where, params: queryParams } = monthRollupQuery({ ...params, from: months[0], to: months[months.length - 1] })
    const rows = await selectRows(
      db,
      `SELECT toYYYYMM(month) AS ym, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
       FROM ${table} WHERE status = '成功' AND ${where} GROUP BY ym`,
      queryParams,
      monthRow,
    )
    const byMonth = new Map(rows.map((row) => [row.ym, row]))
    return {
      kind: 'series',
      categories: months.map(monthLabel),
      series: [
        { name: '金额', values: months.map((month) => roundMoney(byMonth.get(month)?.amount ?? 0)) },
        { name: '人次', values: months.map((month) => byMonth.get(month)?.payments ?? 0) },
      ],
    }
  },
})

const yearRow = z.object({ year: z.coerce.number(), amount: z.coerce.number(), payments: z.coerce.number(), persons: z.coerce.number() })

/** Every pay year with data, oldest first. */
export const paymentsByYear = defineMetric({
  name: 'payments.byYear',
  title: '年度发放',
  params: z.object({ region: paymentFilterShape.region, project: paymentFilterShape.project }).strict().superRefine(refuseVillageProject),
  reads: ['payments'],
  run: async (db, params) => {
    const { table, where, params: queryParams } = monthRollupQuery(params)
    const rows = await selectRows(
      db,
      `SELECT toYear(month) AS year, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments, uniqMerge(persons) AS persons
       FROM ${table} WHERE status = '成功' AND ${where} GROUP BY year ORDER BY year`,
      queryParams,
      yearRow,
    )
    return {
      kind: 'series',
      categories: rows.map((row) => `${row.year}年`),
      series: [
        { name: '金额', values: rows.map((row) => roundMoney(row.amount)) },
        { name: '人次', values: rows.map((row) => row.payments) },
        { name: '人数', values: rows.map((row) => row.persons) },
      ],
    }
  },
})
