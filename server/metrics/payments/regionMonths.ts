import { z } from 'zod'
import type { Db } from '../../db/client'
import { monthRollupQuery } from './filters'
import { byRegion, perRegion, selectRows } from '../sql/query'
import { PAYMENT_STATUSES, type PaymentStatus } from '../../../dashboards/paymentStatus'

/**
 * One region's payments by pay month and status: ≤ 12 × years × 4 rows from agg_region_month
 * (keyed by region first). Totals, counts, success rate, status split, monthly and yearly trends,
 * open failures and freshness are all sums over these rows, so on the live wall they share one
 * query per region and tick (the hub's query cache). A project or department filter reads the
 * town-level rollup, which has both columns, with the same row shape.
 */

const monthStatusRow = z.object({
  ym: z.coerce.number(),
  status: z.enum(PAYMENT_STATUSES),
  payments: z.coerce.number(),
  amount: z.coerce.number(),
  newest: z.coerce.number(),
})
const monthStatusRegionRow = monthStatusRow.extend({ region: z.string() })
export type MonthStatusRow = z.infer<typeof monthStatusRow>

const MONTH_STATUS_COLUMNS = `toYYYYMM(month) AS ym, toString(status) AS status, sum(payments) AS payments,
                   toFloat64(sum(amount_paid)) AS amount, toUnixTimestamp(max(newest_time)) AS newest`

export function selectRegionMonths(db: Db, filter: { region: string; project?: string; dept?: string }): Promise<MonthStatusRow[]> {
  if (filter.project === undefined && filter.dept === undefined)
    return perRegion(db, 'regionMonths', filter.region, {
      all: async (regions) =>
        byRegion(
          await selectRows(
            db,
            `SELECT toString(region_code) AS region, ${MONTH_STATUS_COLUMNS} FROM agg_region_month
             WHERE region_code IN {regions:Array(String)} GROUP BY region, ym, status ORDER BY region, ym, status`,
            { regions },
            monthStatusRegionRow,
          ),
        ),
      one: () =>
        selectRows(
          db,
          `SELECT ${MONTH_STATUS_COLUMNS} FROM agg_region_month WHERE region_code = {region:String} GROUP BY ym, status ORDER BY ym, status`,
          { region: filter.region },
          monthStatusRow,
        ),
      empty: [],
    })
  // Project or department: the town-level rollup has both columns (month bounds are applied by the caller).
  const { where, params } = monthRollupQuery({ region: filter.region, project: filter.project, dept: filter.dept })
  return selectRows(db, `SELECT ${MONTH_STATUS_COLUMNS} FROM agg_payment_month WHERE ${where} GROUP BY ym, status ORDER BY ym, status`, params, monthStatusRow)
}

/** Rows within the pay months `from`…`to` (YYYYMM, either open); the rows themselves when both are. */
export function withinMonths(rows: MonthStatusRow[], range: { from?: number; to?: number }): MonthStatusRow[] {
  if (range.from === undefined && range.to === undefined) return rows
  return rows.filter((row) => (range.from === undefined || row.ym >= range.from) && (range.to === undefined || row.ym <= range.to))
}

/**
 * Payments and amount of each status in one walk over the rows (each status's sums add in row
 * order, as sumOf's do). A warm pass sums every region's rows for several panels: one walk per
 * status was the event loop's largest item of its own while ingest flooded (0.6 s in 18 s).
 */
export function sumsByStatus(rows: MonthStatusRow[]): Record<PaymentStatus, { payments: number; amount: number }> {
  const sums = Object.fromEntries(PAYMENT_STATUSES.map((status) => [status, { payments: 0, amount: 0 }])) as Record<PaymentStatus, { payments: number; amount: number }>
  for (const row of rows) {
    const sum = sums[row.status]
    sum.payments += row.payments
    sum.amount += row.amount
  }
  return sums
}

export function sumOf(rows: MonthStatusRow[], status?: PaymentStatus): { payments: number; amount: number } {
  let payments = 0
  let amount = 0
  for (const row of rows)
    if (status === undefined || row.status === status) {
      payments += row.payments
      amount += row.amount
    }
  return { payments, amount }
}
