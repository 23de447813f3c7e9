import { z } from 'zod'
import type { Db } from '../../db/client'
import { defineMetric } from '../define'
import { roundMoney, selectOne } from '../sql/query'
import { monthRollupQuery, paymentFilterParams, type PaymentFilter } from './filters'
import { selectRegionMonths, sumOf, withinMonths } from './regionMonths'

/** Successful payments only: a failed or returned payment never reached a card. */
async function selectPaidTotals(db: Db, filter: PaymentFilter): Promise<{ amount: number; payments: number }> {
  return sumOf(withinMonths(await selectRegionMonths(db, filter), filter), '成功')
}

/** All-time persons: one state per region (agg_region_persons); filtered ones merge the monthly states. */
async function selectPaidPersons(db: Db, filter: PaymentFilter): Promise<number> {
  const unfiltered = filter.from === undefined && filter.to === undefined && filter.project === undefined
  const { table, where, params } = monthRollupQuery(filter)
  const sql = unfiltered
    ? 'SELECT uniqExactMerge(persons) AS persons FROM agg_region_persons WHERE region_code = {region:String}'
    : `SELECT uniqExactMerge(persons) AS persons FROM ${table} WHERE status = '成功' AND ${where}`
  return (await selectOne(db, sql, params, z.object({ persons: z.coerce.number() }))).persons
}

export const paymentsTotal = defineMetric({
  name: 'payments.total',
  title: '累计发放金额',
  params: paymentFilterParams,
  reads: ['payments'],
  run: async (db, params) => ({ kind: 'value', value: roundMoney((await selectPaidTotals(db, params)).amount) }),
})

export const paymentsCount = defineMetric({
  name: 'payments.count',
  title: '累计发放人次',
  params: paymentFilterParams,
  reads: ['payments'],
  run: async (db, params) => ({ kind: 'value', value: (await selectPaidTotals(db, params)).payments }),
})

export const paymentsPersons = defineMetric({
  name: 'payments.persons',
  title: '受益人数',
  params: paymentFilterParams,
  reads: ['payments'],
  run: async (db, params) => ({ kind: 'value', value: await selectPaidPersons(db, params) }),
})
