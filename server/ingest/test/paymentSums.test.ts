import { describe, expect, it } from 'vitest'
import { sumPaymentRecords, type PaymentSums } from '../paymentSums'
import { feedByName } from '../feeds'
import { sentBatchOf } from '../readBatch'
import { prepareBatch, validateBatch } from '../validateBatch'
import { paymentFixture, planFixture } from './fixtures'

const payments = feedByName('payments')!
const STATUSES = ['成功', '失败', '退回', '在途'] as const

/** Groups in a fixed order, so two sums compare whatever order their groups were made in. */
function ordered(sums: PaymentSums | undefined) {
  const key = (group: object) => JSON.stringify(Object.entries(group).sort(([a], [b]) => (a < b ? -1 : 1)))
  return sums && { months: sums.months.map(key).sort(), hours: sums.hours.map(key).sort(), reissues: sums.reissues.map(key).sort() }
}

describe('payment sums made by the ingest worker', () => {
  it('equal the sums of the records as stored: places, months, statuses, hours, re-issues and amounts', async () => {
    const records = Array.from({ length: 600 }, (_, n) => {
      const status = STATUSES[n % 4]
      return paymentFixture(n, {
        status,
        failure_reason: status === '失败' || status === '退回' ? '账户冻结' : '',
        reissue_of: n % 7 === 0 ? `D-T-${n + 10_000}` : '',
        // three months, two days of one month, every hour; amounts as numbers and as text
        pay_time: `2024-0${3 + (n % 3)}-${n % 5 === 0 ? '20' : '21'} ${String(n % 24).padStart(2, '0')}:15:00`,
        period: 202403 + (n % 3),
        amount_paid: n % 2 === 0 ? (n % 97) + 0.05 : `${(n % 89) + 1}.10`,
      })
    })
    const batch = { batchId: 'sums-1', records, unreadable: [] }
    const prepared = await prepareBatch(payments, sentBatchOf(batch), async () => {})
    const stored = validateBatch(payments, batch)

    expect(prepared.payments).toBeDefined()
    expect(ordered(prepared.payments)).toEqual(ordered(sumPaymentRecords(stored)))
    // every record is in exactly one month group, and the amounts add up to the batch's
    const months = prepared.payments!.months
    expect(months.reduce((sum, group) => sum + group.payments, 0)).toBe(600)
    expect(months.reduce((sum, group) => sum + group.cents, 0)).toBe(prepared.amountCents)
    expect(prepared.payments!.reissues.reduce((sum, place) => sum + place.count, 0)).toBe(records.filter((r) => r.reissue_of !== '' && r.status !== '退回').length)
    expect(prepared.payments!.hours.reduce((sum, slot) => sum + slot.payments, 0)).toBe(records.filter((r) => r.status === '成功').length)
  })

  it('are not made for the other feeds', async () => {
    const plans = feedByName('plans')!
    const prepared = await prepareBatch(plans, sentBatchOf({ batchId: 'p', records: [planFixture(1)], unreadable: [] }), async () => {})
    expect(prepared.payments).toBeUndefined()
  })
})
