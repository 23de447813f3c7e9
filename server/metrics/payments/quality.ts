import { z } from 'zod'
import { defineMetric } from '../define'
import { regionCondition, regionUpToTownParam } from '../sql/region'
import { roundMoney, roundPercent, selectOne, selectRows } from '../sql/query'
import { monthRollupQuery, paymentFilterParams } from './filters'

const STATUSES = ['成功', '失败', '退回', '在途'] as const

const statusRow = z.object({ status: z.enum(STATUSES), payments: z.coerce.number(), amount: z.coerce.number() })

export const paymentsByStatus = defineMetric({
  name: 'payments.byStatus',
  title: '发放状态',
  params: paymentFilterParams,
  reads: ['payments'],
  run: async (db, params) => {
    const { table, where, params: queryParams } = monthRollupQuery(params)
    const rows = await selectRows(
      db,
      `SELECT toString(status) AS status, sum(payments) AS payments, toFloat64(sum(amount_paid)) AS amount
       FROM ${table} WHERE ${where} GROUP BY status`,
      queryParams,
      statusRow,
    )
    const byStatus = new Map(rows.map((row) => [row.status, row]))
    return {
      kind: 'series',
      categories: [...STATUSES],
      series: [
        { name: '笔数', values: STATUSES.map((status) => byStatus.get(status)?.payments ?? 0) },
        { name: '金额', values: STATUSES.map((status) => roundMoney(byStatus.get(status)?.amount ?? 0)) },
      ],
    }
  },
})

/** 成功 ÷ settled payments; 在途 (still with the bank) is neither success nor failure yet. */
export const paymentsSuccessRate = defineMetric({
  name: 'payments.successRate',
  title: '发放成功率',
  params: paymentFilterParams,
  reads: ['payments'],
  run: async (db, params) => {
    const { table, where, params: queryParams } = monthRollupQuery(params)
    const row = await selectOne(
      db,
      `SELECT sumIf(payments, status = '成功') AS succeeded, sumIf(payments, status != '在途') AS settled
       FROM ${table} WHERE ${where}`,
      queryParams,
      z.object({ succeeded: z.coerce.number(), settled: z.coerce.number() }),
    )
    return { kind: 'value', value: row.settled === 0 ? 100 : roundPercent((row.succeeded / row.settled) * 100) }
  },
})

/**
 * Failed payments not yet re-issued (R15's open list, counted from rollups): every failed row
 * minus every re-issue that was not itself returned. A re-issue that failed again is itself a
 * failed row, so a chain failure → failed re-issue → successful re-issue nets to zero.
 */
export const paymentsFailedOpen = defineMetric({
  name: 'payments.failedOpen',
  title: '失败未重发',
  params: z.object({ region: regionUpToTownParam }).strict(),
  reads: ['payments'],
  run: async (db, params) => {
    const condition = regionCondition(params.region)
    const row = await selectOne(
      db,
      `SELECT (SELECT sum(payments) FROM agg_payment_month WHERE status = '失败' AND ${condition}) AS failed,
              (SELECT sum(reissues) FROM agg_reissue_month WHERE status != '退回' AND ${condition}) AS handled`,
      { region: params.region },
      z.object({ failed: z.coerce.number(), handled: z.coerce.number() }),
    )
    return { kind: 'value', value: Math.max(0, row.failed - row.handled) }
  },
})
