import { z } from 'zod'
import type { Db } from '../../db/client'
import { defineMetric } from '../define'
import { roundMoney, selectOne } from '../sql/query'
import { monthRollupQuery, paymentFilterParams, type PaymentFilter } from './filters'

/** Successful payments only: a failed or returned payment never reached a card. */
const totalsRow = z.object({ amount: z.coerce.number(), payments: z.coerce.number(), persons: z.coerce.number() })

async function selectPaidTotals(db: Db, filter: PaymentFilter): Promise<z.infer<typeof totalsRow>> {
  const { table, where, params } = monthRollupQuery(filter)
  return selectOne(
    db,
    `SELECT toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments, uniqMerge(persons) AS persons
     FROM ${table} WHERE status = '成功' AND ${where}`,
    params,
    totalsRow,
  )
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
  run: async (db, params) => ({ kind: 'value', value: (await selectPaidTotals(db, params)).persons }),
})
