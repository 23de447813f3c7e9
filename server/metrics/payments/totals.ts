import { z } from 'zod'
import type { Db } from '../../db/client'
import { allTimePersons } from './allTimePersons'
import { defineMetric } from '../define'
import { roundMoney, selectOne } from '../sql/query'
import { monthRollupQuery, paymentFilterParams, type PaymentFilter } from './filters'
import { selectRegionMonths, sumOf, withinMonths } from './regionMonths'

const personsRow = z.object({ persons: z.coerce.number() })

interface PaidTotals {
  amount: number
  payments: number
  /** the same months a year earlier, when a month range is given (同比) */
  lastYear?: { amount: number; payments: number }
}

/** Successful payments only: a failed or returned payment never reached a card. */
async function selectPaidTotals(db: Db, filter: PaymentFilter): Promise<PaidTotals> {
  const rows = await selectRegionMonths(db, filter)
  const totals: PaidTotals = sumOf(withinMonths(rows, filter), '成功')
  if (filter.from !== undefined && filter.to !== undefined)
    totals.lastYear = sumOf(withinMonths(rows, { from: filter.from - 100, to: filter.to - 100 }), '成功')
  return totals
}

/** 同比 as a note under the figure: growth over the same months a year earlier. */
export function yearOnYearNote(now: number, lastYear: number | undefined): string | undefined {
  if (lastYear === undefined) return undefined
  if (lastYear === 0) return now === 0 ? '同比 持平' : '同比 上年同期无发放'
  const change = ((now - lastYear) / lastYear) * 100
  return `同比 ${change >= 0 ? '+' : ''}${change.toFixed(1)}%`
}

/** All-time persons: one state per region (allTimePersons); filtered ones merge the monthly states. */
async function selectPaidPersons(db: Db, filter: PaymentFilter): Promise<number> {
  const unfiltered = filter.from === undefined && filter.to === undefined && filter.project === undefined && filter.dept === undefined
  const { table, where, params } = monthRollupQuery(filter)
  if (unfiltered) return (await allTimePersons(db, filter.region, [filter.region])).get(filter.region) ?? 0
  return (await selectOne(db, `SELECT uniqExactMerge(persons) AS persons FROM ${table} WHERE status = '成功' AND ${where}`, params, personsRow)).persons
}

export const paymentsTotal = defineMetric({
  name: 'payments.total',
  title: '累计发放金额',
  params: paymentFilterParams,
  reads: ['payments'],
  run: async (db, params) => {
    const totals = await selectPaidTotals(db, params)
    const note = yearOnYearNote(totals.amount, totals.lastYear?.amount)
    return { kind: 'value', value: roundMoney(totals.amount), ...(note ? { note } : {}) }
  },
})

export const paymentsCount = defineMetric({
  name: 'payments.count',
  title: '累计发放人次',
  params: paymentFilterParams,
  reads: ['payments'],
  run: async (db, params) => {
    const totals = await selectPaidTotals(db, params)
    const note = yearOnYearNote(totals.payments, totals.lastYear?.payments)
    return { kind: 'value', value: totals.payments, ...(note ? { note } : {}) }
  },
})

export const paymentsPersons = defineMetric({
  name: 'payments.persons',
  title: '受益人数',
  params: paymentFilterParams,
  reads: ['payments'],
  run: async (db, params) => {
    const persons = await selectPaidPersons(db, params)
    // 同比 over the same months a year earlier, as the amount and 人次 tiles beside it carry
    const lastYear = params.from !== undefined && params.to !== undefined ? await selectPaidPersons(db, { ...params, from: params.from - 100, to: params.to - 100 }) : undefined
    const note = yearOnYearNote(persons, lastYear)
    return { kind: 'value', value: persons, ...(note ? { note } : {}) }
  },
})
