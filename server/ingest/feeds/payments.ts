import { z } from 'zod'
import {
  checkRegionChain, department, date, dateTime, eventTime, flag, fundLevel, gender, idNumber, money, nonEmptyText,
  optionalIdNumber, optionalRecordId, period, personName, projectCode, recordId, text,
} from '../fields'
import { ingestLimits } from '../limits'
import { defineFeed } from './feedSpec'
import { PAYMENT_STATUSES } from '../../../dashboards/paymentStatus'

/**
 * 支付明细 → payment_detail: every column except batch_id (from the request), ingested_at (set by
 * the database) and age_years (materialized). Approval times are null until the node is reached.
 */
export const paymentRecord = z
  .object({
    detail_id: recordId(),
    period: period(),
    project_code: projectCode(),
    dept: department(),
    paying_unit: nonEmptyText(100),
    county_code: z.string(),
    town_code: z.string(),
    village_code: z.string(),
    household_id: recordId(),
    person_name: personName(),
    id_number: idNumber(),
    gender: gender(),
    // Not cross-checked with the 身份证号 here: a disagreement is a data-quality finding (R24), not a reason to refuse.
    birth_date: date({ from: '1900-01-01', to: '2099-12-31' }),
    card_number: z.string().regex(/^\d{12,19}$/, 'must be 12–19 digits'),
    account_holder: personName(),
    holder_id_number: optionalIdNumber(),
    bank: nonEmptyText(50),
    phone: z.string().regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})?$/, 'must be empty, a mobile number or a landline'),
    base_quantity: money(1_000_000),
    standard: money(ingestLimits.maxPaymentYuan),
    amount_due: money(ingestLimits.maxPaymentYuan),
    amount_paid: money(ingestLimits.maxPaymentYuan),
    pay_time: eventTime(),
    status: z.enum(PAYMENT_STATUSES),
    failure_reason: text(200),
    reissue_of: optionalRecordId(),
    // Empty links are accepted: a detail without plan or voucher is what the broken-chain rule (R20) finds.
    plan_id: optionalRecordId(),
    voucher_id: optionalRecordId(),
    indicator_doc: optionalRecordId(),
    fund_level: fundLevel(),
    proxy_held: flag(),
    proxy_holder_id: optionalIdNumber(),
    proxy_holder_name: personName({ mayBeEmpty: true }),
    applied_at: dateTime().nullable().default(null),
    village_reviewed_at: dateTime().nullable().default(null),
    town_reviewed_at: dateTime().nullable().default(null),
    county_decided_at: dateTime().nullable().default(null),
    city_managed_at: dateTime().nullable().default(null),
    publicity_start: date().nullable().default(null),
    publicity_end: date().nullable().default(null),
    prereview_hits: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, 'must be rule ids such as R05')).max(124).default([]),
  })
  .strict()
  .superRefine((record, ctx) => {
    checkRegionChain(record, ctx)
    checkPaymentDates(record, ctx)
  })

/**
 * Dates that contradict each other: paid before being born, publicity ending before it starts.
 * (Approval steps out of order are a finding for the rules, not a reason to refuse the record.)
 */
function checkPaymentDates(
  record: { birth_date: string; pay_time: string; publicity_start: string | null; publicity_end: string | null },
  ctx: z.RefinementCtx,
): void {
  if (record.birth_date > record.pay_time.slice(0, 10)) ctx.addIssue({ code: 'custom', path: ['birth_date'], message: 'must not be after pay_time' })
  if (record.publicity_start && record.publicity_end && record.publicity_end < record.publicity_start) {
    ctx.addIssue({ code: 'custom', path: ['publicity_end'], message: 'must not be before publicity_start' })
  }
}

export type PaymentRecord = z.output<typeof paymentRecord>

export const paymentsFeed = defineFeed({
  feed: 'payments',
  table: 'payment_detail',
  changes: ['payments'],
  record: paymentRecord,
  amountColumn: 'amount_paid',
  timeOf: (record) => record.pay_time,
  columnTypes: {
    detail_id: 'String',
    period: 'UInt32',
    project_code: 'LowCardinality(String)',
    dept: 'LowCardinality(String)',
    paying_unit: 'LowCardinality(String)',
    county_code: 'LowCardinality(String)',
    town_code: 'LowCardinality(String)',
    village_code: 'String',
    household_id: 'String',
    person_name: 'String',
    id_number: 'String',
    gender: "Enum8('男' = 1, '女' = 2)",
    birth_date: 'Date32',
    card_number: 'String',
    account_holder: 'String',
    holder_id_number: 'String',
    bank: 'LowCardinality(String)',
    phone: 'String',
    base_quantity: 'Decimal(12, 2)',
    standard: 'Decimal(12, 2)',
    amount_due: 'Decimal(14, 2)',
    amount_paid: 'Decimal(14, 2)',
    pay_time: "DateTime('Asia/Shanghai')",
    status: "Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4)",
    failure_reason: 'String',
    reissue_of: 'String',
    plan_id: 'String',
    voucher_id: 'String',
    indicator_doc: 'String',
    fund_level: "Enum8('中央' = 1, '省' = 2, '市' = 3, '县' = 4)",
    proxy_held: 'UInt8',
    proxy_holder_id: 'String',
    proxy_holder_name: 'String',
    applied_at: "Nullable(DateTime('Asia/Shanghai'))",
    village_reviewed_at: "Nullable(DateTime('Asia/Shanghai'))",
    town_reviewed_at: "Nullable(DateTime('Asia/Shanghai'))",
    county_decided_at: "Nullable(DateTime('Asia/Shanghai'))",
    city_managed_at: "Nullable(DateTime('Asia/Shanghai'))",
    publicity_start: 'Nullable(Date)',
    publicity_end: 'Nullable(Date)',
    prereview_hits: 'Array(LowCardinality(String))',
    batch_id: 'String',
  },
})
