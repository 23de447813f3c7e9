import { z } from 'zod'
import { checkRegionChain, department, date, money, period, projectCode, recordId } from '../fields'
import { ingestLimits } from '../limits'
import { defineFeed } from './feedSpec'

/** 用款计划 → spending_plan: a monthly draw on one indicator. */
export const planRecord = z
  .object({
    plan_id: recordId(),
    indicator_id: recordId(),
    month: period(),
    county_code: z.string(),
    dept: department(),
    project_code: projectCode(),
    amount: money(ingestLimits.maxBudgetYuan),
    approved_date: date(),
  })
  .strict()
  .superRefine((record, ctx) => checkRegionChain(record, ctx, { allowCity: true }))

export type PlanRecord = z.output<typeof planRecord>

export const plansFeed = defineFeed({
  feed: 'plans',
  table: 'spending_plan',
  changes: ['budget'],
  record: planRecord,
  amountColumn: 'amount',
  timeOf: (record) => `${record.approved_date} 00:00:00`,
})
