import { defineRule } from '../types'
import { maskPersonSql } from '../maskSql'
import { ingestedSince } from './sqlParts'

/**
 * The chain 用款计划 → 支付凭证 → 支付明细 must add up: a voucher carries what its details pay out
 * (amount_paid, re-issues of failed details included; a failure pays nothing), the vouchers on a
 * plan stay within it, and every detail names a voucher and a plan that exist. Sums are grouped
 * once per voucher and per plan, and the existence checks are anti-joins on the id columns alone.
 */
export default defineRule({
  id: 'R20',
  name: '资金链条断裂',
  severity: 'warn',
  class: '后台数据不全',
  explanation: '支付明细与凭证金额不符、凭证超出用款计划，或明细缺少凭证/计划。',
  incremental: false,
  reads: ['payment_detail', 'payment_voucher', 'spending_plan'],
  sql: (mode) => `
WITH vouchers AS (SELECT voucher_id, plan_id, county_code, dept, amount FROM payment_voucher FINAL)
SELECT concat('voucher:', v.voucher_id) AS case_key, v.county_code AS county_code, '' AS town_code, '' AS village_code,
       toFloat64(v.amount) AS amount,
       concat('凭证 ', v.voucher_id, ' ', v.dept) AS subject,
       [] :: Array(String) AS detail_ids, now64(3, 'Asia/Shanghai') AS detected_at
FROM vouchers AS v
INNER JOIN (SELECT voucher_id, sum(amount_paid) AS detail_amount FROM payment_detail WHERE voucher_id != '' GROUP BY voucher_id) AS d
  ON d.voucher_id = v.voucher_id
LEFT JOIN (SELECT plan_id, any(amount) AS plan_amount FROM spending_plan FINAL GROUP BY plan_id) AS p ON p.plan_id = v.plan_id
LEFT JOIN (SELECT plan_id, sum(amount) AS drawn FROM vouchers GROUP BY plan_id) AS s ON s.plan_id = v.plan_id
WHERE abs(toFloat64(d.detail_amount) - toFloat64(v.amount)) > 0.005
   OR toFloat64(s.drawn) > toFloat64(p.plan_amount) + 0.005
UNION ALL
SELECT concat('detail:', d.detail_id), d.county_code, d.town_code, d.village_code,
       toFloat64(d.amount_paid), ${maskPersonSql('d.person_name', 'd.id_number')}, [d.detail_id], now64(3, 'Asia/Shanghai')
FROM payment_detail AS d
WHERE (d.voucher_id = '' OR d.plan_id = ''
       OR d.voucher_id NOT IN (SELECT voucher_id FROM payment_voucher)
       OR d.plan_id NOT IN (SELECT plan_id FROM spending_plan))
  ${ingestedSince(mode, 'd')}`,
})
