import { z } from 'zod'
import { defineMetric } from '../define'
import { budgetCondition, budgetRegionParam } from '../sql/region'
import { roundMoney, selectOne } from '../sql/query'
import { dayParam } from '../sql/time'
import { ruleThresholds } from '../../catalogue/thresholds'
import { countyOf } from '../../../geo/regions'
import { beijingDay } from '../../beijingTime'

/**
 * 沉淀资金 (R16): money on cleared vouchers that has not reached personal cards
 * `idleVoucherDays` after the voucher was paid to the bank, summed over vouchers (a voucher paid
 * out in full counts 0, never negative). Refunds idle in bank accounts are not in the rollups and
 * are left to the rule engine.
 */
export const budgetIdleFunds = defineMetric({
  name: 'budget.idleFunds',
  title: '沉淀资金',
  params: z.object({ region: budgetRegionParam, day: dayParam.optional() }).strict(),
  reads: ['budget', 'payments'],
  run: async (db, params) => {
    const row = await selectOne(
      db,
      `WITH vouchers AS (
         SELECT voucher_id, amount FROM payment_voucher FINAL
         WHERE clearing_status = '已清算' AND pay_date <= {day:Date} - {graceDays:UInt32} AND ${budgetCondition(params.region)})
       SELECT toFloat64(sum(greatest(v.amount - ifNull(p.paid, 0), 0))) AS idle
       FROM vouchers AS v
       LEFT JOIN (SELECT voucher_id, sum(amount_paid) AS paid FROM agg_voucher_paid
                  WHERE voucher_id IN (SELECT voucher_id FROM vouchers) GROUP BY voucher_id) AS p
         ON p.voucher_id = v.voucher_id
       SETTINGS join_use_nulls = 1`,
      { day: params.day ?? beijingDay(), graceDays: ruleThresholds.idleVoucherDays, county: countyOf(params.region) ?? '' },
      z.object({ idle: z.coerce.number() }),
    )
    return { kind: 'value', value: roundMoney(row.idle) }
  },
})
