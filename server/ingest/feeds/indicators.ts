import { z } from 'zod'
import { checkRegionChain, department, date, fiscalYear, fundLevel, money, nonEmptyText, projectCode, recordId } from '../fields'
import { ingestLimits } from '../limits'
import { defineFeed } from './feedSpec'

/** 预算指标 → budget_indicator. Re-sent with its issue date once issued (the table keeps the newest). */
export const indicatorRecord = z
  .object({
    indicator_id: recordId(),
    doc_no: nonEmptyText(64),
    fiscal_year: fiscalYear(),
    county_code: z.string(),
    dept: department(),
    project_code: projectCode(),
    fund_level: fundLevel(),
    amount: money(ingestLimits.maxBudgetYuan),
    allocated_date: date(),
    issued_date: date().nullable().default(null),
  })
  .strict()
  .superRefine((record, ctx) => {
    checkRegionChain(record, ctx, { allowCity: true })
    if (record.issued_date !== null && record.issued_date < record.allocated_date) {
      ctx.addIssue({ code: 'custom', path: ['issued_date'], message: 'must not precede allocated_date' })
    }
  })

export type IndicatorRecord = z.output<typeof indicatorRecord>

export const indicatorsFeed = defineFeed({
  feed: 'indicators',
  table: 'budget_indicator',
  changes: ['budget'],
  record: indicatorRecord,
  amountColumn: 'amount',
  timeOf: (record) => `${record.issued_date ?? record.allocated_date} 00:00:00`,
})
