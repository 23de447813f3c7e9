import { z } from 'zod'

/** Month and day parameters of the metrics; today and this month are Beijing's (server/beijingTime.ts). */

export const yearMonthParam = z.coerce
  .number()
  .int()
  .refine((value) => value >= 200001 && value <= 209912 && value % 100 >= 1 && value % 100 <= 12, { message: '期间应为 YYYYMM' })

export const dayParam = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD')

/** The `count` months ending with `last` (YYYYMM), oldest first. */
export function monthsEndingAt(last: number, count: number): number[] {
  const months: number[] = []
  let year = Math.floor(last / 100)
  let month = last % 100
  for (let i = 0; i < count; i++) {
    months.unshift(year * 100 + month)
    month -= 1
    if (month === 0) {
      month = 12
      year -= 1
    }
  }
  return months
}

/**
 * The pay-month range (YYYYMM, either end optional) as conditions on a rollup's `month` column,
 * with their parameters: the one place the month filter of payment metrics is built.
 */
export function monthRange(range: { from?: number; to?: number }): { conditions: string[]; params: Record<string, string> } {
  const conditions: string[] = []
  const params: Record<string, string> = {}
  if (range.from !== undefined) {
    conditions.push('month >= {from:Date}')
    params.from = monthStart(range.from)
  }
  if (range.to !== undefined) {
    conditions.push('month <= {to:Date}')
    params.to = monthStart(range.to)
  }
  return { conditions, params }
}

/** '2024-07-01' for 202407: the `month` column of the rollups is the first day of the month. */
export function monthStart(yearMonth: number): string {
  return `${Math.floor(yearMonth / 100)}-${String(yearMonth % 100).padStart(2, '0')}-01`
}

export function monthLabel(yearMonth: number): string {
  return `${Math.floor(yearMonth / 100)}-${String(yearMonth % 100).padStart(2, '0')}`
}

/** 序时进度: the share of fiscal year `year` elapsed by the end of `day` (0 before it, 1 after it). */
export function elapsedShareOfYear(year: number, day: string): number {
  const start = Date.UTC(year, 0, 1)
  const end = Date.UTC(year + 1, 0, 1)
  const through = Date.parse(`${day}T00:00:00Z`) + 86_400_000
  return Math.min(1, Math.max(0, (through - start) / (end - start)))
}
