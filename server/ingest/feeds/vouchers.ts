import { z } from 'zod'
import { checkRegionChain, department, date, money, nonEmptyText, projectCode, recordId } from '../fields'
import { ingestLimits } from '../limits'
import { defineFeed } from './feedSpec'

/** 支付凭证 → payment_voucher: money moved to the paying bank's transit account for one plan. */
export const voucherRecord = z
  .object({
    voucher_id: recordId(),
    plan_id: recordId(),
    county_code: z.string(),
    dept: department(),
    project_code: projectCode(),
    amount: money(ingestLimits.maxBudgetYuan),
    bank: nonEmptyText(50),
    transit_account: z.string().regex(/^[0-9-]{6,40}$/, 'must be 6–40 digits or dashes'),
    pay_date: date(),
    clearing_status: z.enum(['已清算', '未清算', '退回']),
  })
  .strict()
  .superRefine((record, ctx) => checkRegionChain(record, ctx, { allowCity: true }))

export type VoucherRecord = z.output<typeof voucherRecord>

export const vouchersFeed = defineFeed({
  feed: 'vouchers',
  table: 'payment_voucher',
  changes: ['budget'],
  record: voucherRecord,
  amountColumn: 'amount',
  timeOf: (record) => `${record.pay_date} 00:00:00`,
})
