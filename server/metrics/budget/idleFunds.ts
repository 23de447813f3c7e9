import { z } from 'zod'
import type { Db } from '../../db/client'
import { defineMetric } from '../define'
import { budgetCondition, budgetRegionParam, levelOf } from '../sql/region'
import { perRegion, roundMoney, selectRows } from '../sql/query'
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
    const day = params.day ?? beijingDay()
    const county = countyOf(params.region) ?? ''
    // In a warm pass every county (and the city, their sum) comes from one query grouped by county.
    const idle = await perRegion(db, `idleFunds|${day}`, params.region, {
      all: async (regions) => {
        const byCounty = new Map((await readIdleByCounty(db, day, '1', {})).map((row) => [row.county, row.idle]))
        const cityTotal = [...byCounty.values()].reduce((sum, value) => sum + value, 0)
        return new Map(regions.map((code) => [code, levelOf(code) === 'city' ? cityTotal : (byCounty.get(code) ?? 0)]))
      },
      one: async () => (await readIdleByCounty(db, day, budgetCondition(params.region), { county })).reduce((sum, row) => sum + row.idle, 0),
      empty: 0,
    })
    return { kind: 'value', value: roundMoney(idle) }
  },
})

const idleRow = z.object({ county: z.string(), idle: z.coerce.number() })

function readIdleByCounty(db: Db, day: string, condition: string, params: Record<string, string>): Promise<Array<z.infer<typeof idleRow>>> {
  return selectRows(
    db,
    `WITH vouchers AS (
       SELECT voucher_id, county_code, amount FROM payment_voucher FINAL
       WHERE clearing_status = '已清算' AND pay_date <= {day:Date} - {graceDays:UInt32} AND ${condition})
     SELECT v.county_code AS county, toFloat64(sum(greatest(v.amount - ifNull(p.paid, 0), 0))) AS idle
     FROM vouchers AS v
     LEFT JOIN (SELECT voucher_id, sum(amount_paid) AS paid FROM agg_voucher_paid
                WHERE voucher_id IN (SELECT voucher_id FROM vouchers) GROUP BY voucher_id) AS p
       ON p.voucher_id = v.voucher_id
     GROUP BY county ORDER BY county
     SETTINGS join_use_nulls = 1`,
    { day, graceDays: ruleThresholds.idleVoucherDays, ...params },
    idleRow,
  )
}
