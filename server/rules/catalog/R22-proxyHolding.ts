import { maskPersonSql } from '../maskSql'
import { defineRule } from '../types'
import { ingestedSince } from './sqlParts'

export default defineRule({
  id: 'R22',
  name: '代管代持异常',
  severity: 'warn',
  class: '政策风险',
  explanation: '代管人未经备案、一人代管多张卡，或代管人是村干部。',
  incremental: true,
  reads: ['payment_detail', 'card_activity', 'ref_official'],
  sql: (mode) => `
SELECT proxy_holder_id AS case_key,
       argMax(d.county_code, d.pay_time) AS county_code, argMax(d.town_code, d.pay_time) AS town_code,
       argMax(d.village_code, d.pay_time) AS village_code,
       toFloat64(sum(d.amount_paid)) AS amount,
       concat('代管人 ', ${maskPersonSql('any(d.proxy_holder_name)', 'proxy_holder_id')}, '（', toString(uniqExact(d.card_number)), '张卡）') AS subject,
       arraySort(groupUniqArray(50)(d.detail_id)) AS detail_ids,
       now64(3, 'Asia/Shanghai') AS detected_at
FROM payment_detail AS d
LEFT JOIN (SELECT card_number, proxy_approved FROM card_activity FINAL) AS c ON c.card_number = d.card_number
WHERE d.proxy_held = 1 AND d.proxy_holder_id != ''
  AND d.proxy_holder_id IN (SELECT proxy_holder_id FROM payment_detail WHERE proxy_held = 1 ${ingestedSince(mode)})
GROUP BY proxy_holder_id
HAVING min(c.proxy_approved) = 0
    OR uniqExact(d.card_number) >= {proxyMaxCards:UInt32}
    OR proxy_holder_id IN (SELECT id_number FROM ref_official WHERE kind = '村干部')`,
})
