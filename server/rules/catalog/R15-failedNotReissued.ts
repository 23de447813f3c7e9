import { defineRule } from '../types'
import { detailCaseColumns } from './sqlParts'

/** "日销号、周反馈": a failed payment must be re-issued successfully within the week. */
export default defineRule({
  id: 'R15',
  name: '发放失败未重发',
  severity: 'warn',
  class: '基础数据不准',
  explanation: '发放失败后 7 天内没有成功重发，补贴仍未到卡。',
  incremental: false,
  reads: ['payment_detail'],
  sql: () => `
SELECT ${detailCaseColumns('f')}
FROM payment_detail AS f
LEFT JOIN
(
  SELECT reissue_of, min(pay_time) AS reissued_at
  FROM payment_detail
  WHERE reissue_of != '' AND status = '成功'
  GROUP BY reissue_of
) AS r ON r.reissue_of = f.detail_id
WHERE f.status = '失败'
  AND toDate(f.pay_time) + toIntervalDay({reissueDays:UInt32}) < {today:Date}
  AND (r.reissue_of = '' OR r.reissued_at > f.pay_time + toIntervalDay({reissueDays:UInt32}))`,
})
