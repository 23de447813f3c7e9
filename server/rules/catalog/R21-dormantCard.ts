import { maskCardSql } from '../maskSql'
import { defineRule } from '../types'

/** Credits kept arriving for 12 months and nothing was withdrawn: who really holds the card? */
export default defineRule({
  id: 'R21',
  name: '长期未取用',
  severity: 'info',
  class: '政策风险',
  explanation: '社保卡连续 12 个月有补贴入账却从未取款，代管代持的卡优先核查。',
  incremental: false,
  sql: `
SELECT card_number AS case_key,
       argMax(d.county_code, d.pay_time) AS county_code, argMax(d.town_code, d.pay_time) AS town_code,
       argMax(d.village_code, d.pay_time) AS village_code,
       toFloat64(sum(d.amount_paid)) AS amount,
       concat('卡号 ', ${maskCardSql('card_number')}, if(max(d.proxy_held) = 1, '（代管代持）', '')) AS subject,
       arraySort(groupUniqArray(50)(d.detail_id)) AS detail_ids,
       now64(3, 'Asia/Shanghai') AS detected_at
FROM payment_detail AS d
INNER JOIN (SELECT card_number, last_withdrawal FROM card_activity FINAL) AS c ON c.card_number = d.card_number
WHERE d.status = '成功'
  AND (c.last_withdrawal IS NULL OR c.last_withdrawal < {today:Date} - toIntervalMonth({dormantMonths:UInt32}))
GROUP BY card_number
HAVING min(toDate(d.pay_time)) <= {today:Date} - toIntervalMonth({dormantMonths:UInt32})
   AND max(toDate(d.pay_time)) > {today:Date} - toIntervalMonth(1)`,
})
