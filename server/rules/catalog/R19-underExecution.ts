import { defineRule } from '../types'

/**
 * 序时进度: the share of the fiscal year elapsed by today (all of it for a year already over), and
 * paid = cleared vouchers drawn on the indicator through its plans. An indicator of a closed year
 * paid below 80 % is as much a case as one lagging this year.
 */
export default defineRule({
  id: 'R19',
  name: '预算执行偏慢',
  severity: 'info',
  class: '政策风险',
  explanation: '已下达指标的支付进度低于序时进度 20 个百分点以上。',
  incremental: false,
  reads: ['budget_indicator', 'spending_plan', 'payment_voucher'],
  sql: () => `
SELECT i.indicator_id AS case_key, i.county_code AS county_code, '' AS town_code, '' AS village_code,
       toFloat64(i.amount) AS amount,
       concat('指标 ', i.doc_no, ' ', i.dept, ' 执行 ', toString(round(100 * x.paid / i.amount, 1)), '%') AS subject,
       [] :: Array(String) AS detail_ids,
       now64(3, 'Asia/Shanghai') AS detected_at
FROM (SELECT * FROM budget_indicator FINAL
      WHERE issued_date IS NOT NULL AND issued_date <= {today:Date} AND fiscal_year <= toYear({today:Date}) AND amount > 0) AS i
LEFT JOIN
(
  SELECT p.indicator_id AS indicator_id, sum(v.amount) AS paid
  FROM (SELECT plan_id, indicator_id FROM spending_plan FINAL) AS p
  INNER JOIN (SELECT plan_id, amount FROM payment_voucher FINAL WHERE clearing_status = '已清算' AND pay_date <= {today:Date}) AS v USING (plan_id)
  GROUP BY p.indicator_id
) AS x ON x.indicator_id = i.indicator_id
WHERE toFloat64(x.paid) / toFloat64(i.amount)
      < if(i.fiscal_year < toYear({today:Date}), 1, toDayOfYear({today:Date}) / (365 + toUInt8(toYear({today:Date}) % 4 = 0)))
        - {underMargin:Float64}`,
})
