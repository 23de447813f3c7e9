import { z } from 'zod'
import type { Db } from '../../db/client'
import { defineMetric } from '../define'
import { regionCondition, regionUpToTownParam } from '../sql/region'
import { byRegion, perRegion, roundMoney, selectRows } from '../sql/query'
import { dayParam } from '../sql/time'
import { beijingDay } from '../../beijingTime'

/** Today's payments from the hourly rollup; `day` (YYYY-MM-DD) defaults to today in Shanghai. */
const todayParams = z.object({ region: regionUpToTownParam, day: dayParam.optional() }).strict()
type TodayParams = z.infer<typeof todayParams>

const hourRow = z.object({ hour_of_day: z.coerce.number(), amount: z.coerce.number(), payments: z.coerce.number() })
const hourRegionRow = hourRow.extend({ region: z.string() })

async function selectPaidByHour(db: Db, params: TodayParams): Promise<Array<z.infer<typeof hourRow>>> {
  const day = params.day ?? beijingDay()
  return perRegion(db, `paidByHour|${day}`, params.region, {
    // Every payment counts for its town, its county and the city: one read of the day for all regions.
    all: async (regions) =>
      byRegion(
        await selectRows(
          db,
          `SELECT arrayJoin(['511000', toString(county_code), toString(town_code)]) AS region,
                  toHour(hour) AS hour_of_day, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
           FROM agg_payment_hour
           WHERE status = '成功' AND toDate(hour) = {day:Date}
           GROUP BY region, hour_of_day HAVING region IN {regions:Array(String)} ORDER BY region, hour_of_day`,
          { day, regions },
          hourRegionRow,
        ),
      ),
    one: () =>
      selectRows(
        db,
        `SELECT toHour(hour) AS hour_of_day, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
         FROM agg_payment_hour
         WHERE status = '成功' AND toDate(hour) = {day:Date} AND ${regionCondition(params.region)}
         GROUP BY hour_of_day ORDER BY hour_of_day`,
        { region: params.region, day },
        hourRow,
      ),
    empty: [],
  })
}

export const paymentsTodayAmount = defineMetric({
  name: 'payments.todayAmount',
  title: '今日发放金额',
  params: todayParams,
  reads: ['payments'],
  run: async (db, params) => {
    const rows = await selectPaidByHour(db, params)
    return { kind: 'value', value: roundMoney(rows.reduce((sum, row) => sum + row.amount, 0)) }
  },
})

export const paymentsTodayCount = defineMetric({
  name: 'payments.todayCount',
  title: '今日发放笔数',
  params: todayParams,
  reads: ['payments'],
  run: async (db, params) => {
    const rows = await selectPaidByHour(db, params)
    return { kind: 'value', value: rows.reduce((sum, row) => sum + row.payments, 0) }
  },
})

export const paymentsByHour = defineMetric({
  name: 'payments.byHour',
  title: '今日分时发放',
  params: todayParams,
  reads: ['payments'],
  run: async (db, params) => {
    const byHour = new Map((await selectPaidByHour(db, params)).map((row) => [row.hour_of_day, row]))
    const hours = Array.from({ length: 24 }, (_, hour) => hour)
    return {
      kind: 'series',
      categories: hours.map((hour) => `${String(hour).padStart(2, '0')}时`),
      series: [
        { name: '金额', values: hours.map((hour) => roundMoney(byHour.get(hour)?.amount ?? 0)) },
        { name: '笔数', values: hours.map((hour) => byHour.get(hour)?.payments ?? 0) },
      ],
    }
  },
})
