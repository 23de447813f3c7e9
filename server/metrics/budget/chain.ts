import { z } from 'zod'
import { defineMetric } from '../define'
import { roundMoney, selectOne } from '../sql/query'
import { budgetParams, chainScope } from './chainSql'

/** 分配 → 下达 → 用款计划 → 凭证 → 明细 of one fiscal year: where money stops along the chain. */
export const budgetChain = defineMetric({
  name: 'budget.chain',
  title: '资金链条',
  params: budgetParams,
  reads: ['budget', 'payments'],
  run: async (db, params) => {
    const scope = await chainScope(db, params)
    const row = await selectOne(
      db,
      `${scope.ctes}
       SELECT (SELECT toFloat64(sum(amount)) FROM indicators) AS allocated,
              (SELECT toFloat64(sumIf(amount, issued_date IS NOT NULL)) FROM indicators) AS issued,
              (SELECT toFloat64(sum(amount)) FROM plans) AS planned,
              (SELECT toFloat64(sum(amount)) FROM vouchers) AS vouchered,
              (SELECT toFloat64(sum(paid)) FROM paid_by_voucher) AS paid`,
      scope.params,
      z.object({ allocated: z.coerce.number(), issued: z.coerce.number(), planned: z.coerce.number(), vouchered: z.coerce.number(), paid: z.coerce.number() }),
    )
    return {
      kind: 'funnel',
      stages: [
        { name: '指标分配', value: roundMoney(row.allocated) },
        { name: '指标下达', value: roundMoney(row.issued) },
        { name: '用款计划', value: roundMoney(row.planned) },
        { name: '支付凭证', value: roundMoney(row.vouchered) },
        { name: '支付明细', value: roundMoney(row.paid) },
      ],
    }
  },
})
