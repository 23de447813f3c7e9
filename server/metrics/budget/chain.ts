import { defineMetric, HISTORY_REFRESH_MS } from '../define'
import { roundMoney } from '../sql/query'
import { budgetParams, chainScope } from './chainSql'
import { chainTotals, selectIndicatorChain } from './indicatorChain'

/** 分配 → 下达 → 用款计划 → 凭证 → 明细 of one fiscal year: where money stops along the chain. */
export const budgetChain = defineMetric({
  name: 'budget.chain',
  title: '资金链条',
  params: budgetParams,
  reads: ['budget', 'payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => {
    const totals = chainTotals(await selectIndicatorChain(db, await chainScope(db, params)))
    return {
      kind: 'funnel',
      stages: [
        { name: '指标分配', value: roundMoney(totals.allocated) },
        { name: '指标下达', value: roundMoney(totals.issued) },
        { name: '用款计划', value: roundMoney(totals.planned) },
        { name: '支付凭证', value: roundMoney(totals.vouchered) },
        { name: '支付明细', value: roundMoney(totals.paid) },
      ],
    }
  },
})
