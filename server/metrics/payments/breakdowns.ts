import { z } from 'zod'
import { defineMetric } from '../define'
import { projectName } from '../names'
import { regionCondition, regionUpToTownParam } from '../sql/region'
import { roundMoney, selectRows } from '../sql/query'
import { monthStart, yearMonthParam } from '../sql/time'
import type { QueryParams } from '../sql/query'
import type { PanelData } from '../../../dashboards/types'

/** Breakdowns over rollups that stop at town level (agg_payment_month, agg_payment_hour, agg_age_town_month). */
const breakdownParams = z
  .object({ region: regionUpToTownParam, from: yearMonthParam.optional(), to: yearMonthParam.optional() })
  .strict()
type BreakdownParams = z.infer<typeof breakdownParams>

/** `column` is the rollup's month column: `month` (a Date) or `hour` (a DateTime). */
function paidWhere(params: BreakdownParams, column: 'month' | 'hour'): { where: string; queryParams: QueryParams } {
  const conditions = ["status = '成功'", regionCondition(params.region)]
  const queryParams: QueryParams = { region: params.region }
  if (params.from !== undefined) {
    conditions.push(column === 'month' ? 'month >= {from:Date}' : 'hour >= toDateTime({from:Date})')
    queryParams.from = monthStart(params.from)
  }
  if (params.to !== undefined) {
    conditions.push(column === 'month' ? 'month <= {to:Date}' : 'toStartOfMonth(hour) <= {to:Date}')
    queryParams.to = monthStart(params.to)
  }
  return { where: conditions.join(' AND '), queryParams }
}

const groupRow = z.object({ key: z.string(), amount: z.coerce.number(), payments: z.coerce.number() })

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

export const paymentsByProject = defineMetric({
  name: 'payments.byProject',
  title: '补贴项目发放',
  params: breakdownParams.extend({ limit: z.coerce.number().int().min(1).max(100).default(10) }).strict(),
  reads: ['payments'],
  run: async (db, params) => {
    const { where, queryParams } = paidWhere(params, 'month')
    const rows = await selectRows(
      db,
      `SELECT project_code AS key, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
       FROM agg_payment_month WHERE ${where} GROUP BY key ORDER BY amount DESC, key LIMIT {limit:UInt32}`,
      { ...queryParams, limit: params.limit },
      groupRow,
    )
    return amountAndCount(rows, projectName)
  },
})

export const paymentsByDept = defineMetric({
  name: 'payments.byDept',
  title: '主管部门发放',
  params: breakdownParams,
  reads: ['payments'],
  run: async (db, params) => {
    const { where, queryParams } = paidWhere(params, 'month')
    const rows = await selectRows(
      db,
      `SELECT dept AS key, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
       FROM agg_payment_month WHERE ${where} GROUP BY key ORDER BY amount DESC, key`,
      queryParams,
      groupRow,
    )
    return amountAndCount(rows)
  },
})

export const paymentsByBank = defineMetric({
  name: 'payments.byBank',
  title: '代发银行',
  params: breakdownParams,
  reads: ['payments'],
  run: async (db, params) => {
    const { where, queryParams } = paidWhere(params, 'hour')
    const rows = await selectRows(
      db,
      `SELECT bank AS key, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
       FROM agg_payment_hour WHERE ${where} GROUP BY key ORDER BY amount DESC, key`,
      queryParams,
      groupRow,
    )
    return amountAndCount(rows)
  },
})

const AGE_BANDS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90] as const
const GENDERS = ['男', '女'] as const
const MEASURES = { count: 'sum(payments)', persons: 'uniqMerge(persons)', amount: 'toFloat64(sum(amount_paid))' } as const

/** The population pyramid: 10-year age bands (at pay time) × gender; 人次 by default. */
export const paymentsByAgeBand = defineMetric({
  name: 'payments.byAgeBand',
  title: '受益人年龄结构',
  params: breakdownParams.extend({ measure: z.enum(['count', 'persons', 'amount']).default('count') }).strict(),
  reads: ['payments'],
  run: async (db, params) => {
    const { where, queryParams } = paidWhere(params, 'month')
    const rows = await selectRows(
      db,
      `SELECT age_band AS band, toString(gender) AS gender, ${MEASURES[params.measure]} AS value
       FROM agg_age_town_month WHERE ${where} GROUP BY band, gender`,
      queryParams,
      z.object({ band: z.coerce.number(), gender: z.enum(GENDERS), value: z.coerce.number() }),
    )
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
