import { z } from 'zod'
import { defineMetric } from '../define'
import { regionCondition, regionUpToTownParam } from '../sql/region'
import { perRegion, roundMoney, roundPercent, selectOne, selectRows } from '../sql/query'
import { paymentFilterParams } from './filters'
import { selectRegionMonths, sumOf, sumsByStatus, withinMonths } from './regionMonths'
import { PAYMENT_STATUSES } from '../../../dashboards/paymentStatus'

const handledRow = z.object({ handled: z.coerce.number() })
const handledRegionRow = handledRow.extend({ region: z.string() })

export const paymentsByStatus = defineMetric({
  name: 'payments.byStatus',
  title: '发放状态',
  params: paymentFilterParams,
  reads: ['payments'],
  run: async (db, params) => {
    const sums = sumsByStatus(withinMonths(await selectRegionMonths(db, params), params))
    const totals = PAYMENT_STATUSES.map((status) => sums[status])
    return {
      kind: 'series',
      categories: [...PAYMENT_STATUSES],
      series: [
        { name: '笔数', values: totals.map((total) => total.payments) },
        { name: '金额', values: totals.map((total) => roundMoney(total.amount)) },
      ],
    }
  },
})

export const NOTHING_SETTLED = '尚无已结算的发放'

/** 成功 ÷ settled payments; 在途 (still with the bank) is neither success nor failure yet. */
export const paymentsSuccessRate = defineMetric({
  name: 'payments.successRate',
  title: '发放成功率',
  params: paymentFilterParams,
  reads: ['payments'],
  run: async (db, params) => {
    const sums = sumsByStatus(withinMonths(await selectRegionMonths(db, params), params))
    const succeeded = sums['成功'].payments
    const settled = sums['成功'].payments + sums['失败'].payments + sums['退回'].payments
    // a rate over no settled payment is no rate: 100 % there would vouch for payments never made
    if (settled === 0) return { kind: 'notApplicable', reason: NOTHING_SETTLED }
    return { kind: 'value', value: roundPercent((succeeded / settled) * 100) }
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
    const [months, handled] = await Promise.all([
      selectRegionMonths(db, params),
      selectHandledReissues(db, params.region),
    ])
    return { kind: 'value', value: Math.max(0, sumOf(months, '失败').payments - handled) }
  },
})

/** Re-issues not returned (退回), per region: in a warm pass one read for the city, counties and towns. */
function selectHandledReissues(db: Parameters<typeof selectOne>[0], region: string): Promise<number> {
  return perRegion(db, 'handledReissues', region, {
    all: async (regions) => {
      const rows = await selectRows(
        db,
        `SELECT arrayJoin(['511000', toString(county_code), toString(town_code)]) AS region, sum(reissues) AS handled
         FROM agg_reissue_month WHERE status != '退回' GROUP BY region HAVING region IN {regions:Array(String)}`,
        { regions },
        handledRegionRow,
      )
      return new Map(rows.map((row) => [row.region, row.handled]))
    },
    one: async () =>
      (
        await selectOne(
          db,
          `SELECT sum(reissues) AS handled FROM agg_reissue_month WHERE status != '退回' AND ${regionCondition(region)}`,
          { region },
          handledRow,
        )
      ).handled,
    empty: 0,
  })
}
