import { defineRule } from '../types'
import { detailCaseColumns, PAID, personTouched } from './sqlParts'

const PERSON_PROJECT = 'cityHash64(id_number, project_code)'

/**
 * Against the person's own median for the item, and only where the standard itself did not move.
 * Two stages: an amount can stray more than the ratio from the median only if the person's largest
 * and smallest amounts for the item differ by more than ratio × smallest (the median lies between
 * them), so min/max over numbers pick the few candidates and the medians are computed for those.
 */
export default defineRule({
  id: 'R23',
  name: '金额异常波动',
  severity: 'info',
  class: '手工录入失误',
  explanation: '本次金额偏离本人该项目历次金额中位数 50% 以上，且发放标准未调整。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
WITH candidates AS
(
  SELECT ${PERSON_PROJECT} AS key FROM payment_detail
  WHERE ${PAID} ${personTouched(mode)}
  GROUP BY key
  HAVING count() >= 3 AND toFloat64(max(amount_paid)) - toFloat64(min(amount_paid)) > {jumpRatio:Float64} * toFloat64(min(amount_paid))
)
SELECT ${detailCaseColumns('d')}
FROM (SELECT * FROM payment_detail WHERE ${PAID} ${personTouched(mode)} AND ${PERSON_PROJECT} IN candidates) AS d
INNER JOIN
(
  SELECT id_number, project_code,
         median(toFloat64(amount_paid)) AS median_amount, median(toFloat64(standard)) AS median_standard, count() AS n
  FROM payment_detail
  WHERE ${PAID} ${personTouched(mode)} AND ${PERSON_PROJECT} IN candidates
  GROUP BY id_number, project_code
  HAVING n >= 3
) AS m ON m.id_number = d.id_number AND m.project_code = d.project_code
WHERE toFloat64(d.standard) = m.median_standard
  AND abs(toFloat64(d.amount_paid) - m.median_amount) > {jumpRatio:Float64} * m.median_amount`,
})
