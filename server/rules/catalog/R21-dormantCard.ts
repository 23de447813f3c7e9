import { maskCardSql } from '../maskSql'
import { defineRule } from '../types'

/**
 * Credits kept arriving and nothing was withdrawn: who really holds the card? A case is a card with
 * credits (成功) in at least 12 distinct months after its last withdrawal (ever, if none). Only a
 * card whose last withdrawal is 11 or more calendar months back can reach 12 months, so the payments
 * are read for those cards alone.
 */
export default defineRule({
  id: 'R21',
  name: '长期未取用',
  severity: 'info',
  class: '政策风险',
  explanation: '社保卡连续 12 个月有补贴入账却从未取款，代管代持的卡优先核查。',
  incremental: false,
  reads: ['payment_detail', 'card_activity'],
  sql: () => `
WITH idle_cards AS
(
  SELECT card_number, ifNull(last_withdrawal, toDate('1970-01-01')) AS since_withdrawal
  FROM card_activity FINAL
  WHERE last_withdrawal IS NULL
     OR toStartOfMonth(last_withdrawal) <= addMonths(toStartOfMonth({today:Date}), -toInt32({dormantMonths:UInt32} - 1))
)
SELECT d.card_number AS case_key,
       argMax(d.county_code, d.pay_time) AS county_code, argMax(d.town_code, d.pay_time) AS town_code,
       argMax(d.village_code, d.pay_time) AS village_code,
       toFloat64(sum(d.amount_paid)) AS amount,
       concat('卡号 ', ${maskCardSql('d.card_number')}, if(max(d.proxy_held) = 1, '（代管代持）', '')) AS subject,
       arraySort(groupUniqArray(50)(d.detail_id)) AS detail_ids,
       now64(3, 'Asia/Shanghai') AS detected_at
FROM (SELECT * FROM payment_detail WHERE status = '成功' AND toDate(pay_time) <= {today:Date}
        AND card_number IN (SELECT card_number FROM idle_cards)) AS d
INNER JOIN idle_cards AS c ON c.card_number = d.card_number
WHERE toDate(d.pay_time) > c.since_withdrawal
GROUP BY d.card_number
HAVING uniqExact(toYYYYMM(d.pay_time)) >= {dormantMonths:UInt32}`,
})
