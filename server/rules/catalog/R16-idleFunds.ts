import { defineRule } from '../types'

/** A payment of the voucher that reached its card after the deadline (or is still in transit). */
const LATE = `d.amount_paid > 0 AND NOT d.repays_own_voucher
  AND (d.status = '在途' OR toDate(d.pay_time) > v.pay_date + toIntervalDay({idleVoucherDays:UInt32}))`

/**
 * Two ways money sits idle, both keyed by voucher: (a) a cleared voucher whose details add up to it
 * (mismatches are R20's) but part of whose money had not reached the cards N days after it reached
 * the bank; (b) refunded (退回) payments of the voucher not re-issued within 30 days.
 * A voucher carries what its details pay out (amount_paid, re-issues included). A failed payment
 * pays nothing and is R15's case, not idle money; a re-issue paid from its failed payment's own
 * voucher repays money counted there already, so it cannot arrive "late" either. A re-issue on a
 * voucher of its own (the usual way: a new pay day) is judged like any payment.
 */
export default defineRule({
  id: 'R16',
  name: '资金滞留',
  severity: 'warn',
  class: '后台数据不全',
  explanation: '资金已拨付到代发银行但未按期发放到卡，或退回资金超过 30 天未处理。',
  incremental: false,
  reads: ['payment_detail', 'payment_voucher'],
  sql: () => `
WITH
  own_voucher_failures AS (SELECT voucher_id, detail_id FROM payment_detail WHERE status = '失败'),
  idle AS
  (
    SELECT v.voucher_id AS voucher_id,
           toFloat64(sumIf(d.amount_paid, ${LATE})) AS idle_amount,
           arraySlice(groupArrayIf(d.detail_id, ${LATE}), 1, 50) AS details
    FROM (SELECT voucher_id, pay_date, amount FROM payment_voucher FINAL
          WHERE clearing_status = '已清算' AND pay_date + toIntervalDay({idleVoucherDays:UInt32}) < {today:Date}) AS v
    INNER JOIN (SELECT voucher_id, detail_id, amount_paid, status, pay_time,
                       reissue_of != '' AND (voucher_id, reissue_of) IN own_voucher_failures AS repays_own_voucher
                FROM payment_detail WHERE voucher_id != '') AS d ON d.voucher_id = v.voucher_id
    GROUP BY v.voucher_id
    HAVING abs(toFloat64(sum(d.amount_paid)) - toFloat64(any(v.amount))) <= 0.005 AND idle_amount > 0.005
    UNION ALL
    SELECT d.voucher_id, toFloat64(sum(d.amount_due)), arraySlice(groupArray(d.detail_id), 1, 50)
    FROM payment_detail AS d
    WHERE d.status = '退回' AND d.voucher_id != ''
      AND toDate(d.pay_time) + toIntervalDay({idleRefundDays:UInt32}) < {today:Date}
      AND d.detail_id NOT IN (SELECT reissue_of FROM payment_detail WHERE reissue_of != '' AND status = '成功')
    GROUP BY d.voucher_id
  )
SELECT voucher_id AS case_key, any(v.county_code) AS county_code, '' AS town_code, '' AS village_code,
       toFloat64(max(idle_amount)) AS amount,
       concat('凭证 ', voucher_id, ' ', any(v.dept)) AS subject,
       arraySort(arrayDistinct(arrayFlatten(groupArray(details)))) AS detail_ids,
       now64(3, 'Asia/Shanghai') AS detected_at
FROM idle
INNER JOIN (SELECT voucher_id, county_code, dept FROM payment_voucher FINAL) AS v USING (voucher_id)
GROUP BY voucher_id`,
})
