import { defineRule } from '../types'
import { detailCaseColumns, PAID, personTouched } from './sqlParts'

const PERSON_PROJECT = 'cityHash64(id_number, project_code)'
/** The amount in units of the standard: a standard raised year by year (养老金 143 → 183) moves both. */
const PER_STANDARD = 'toFloat64(amount_paid) / toFloat64(standard)'

/**
 * Against the person's own median for the item, measured in units of the standard, so that a
 * standard that moved (a yearly raise) is no jump and a jump in any year is one. (Requiring the
 * row's standard to equal the median row's missed every jump outside the median year once the
 * generator raised 城乡居民基础养老金 by year: the back-test caught it.)
 * Two stages: a value can stray more than the ratio from the median only if the person's largest
 * and smallest values for the item differ by more than ratio × smallest (the median lies between
 * them), so min/max pick the few candidates and the medians are computed for those.
 */
export default defineRule({
  id: 'R23',
  name: '金额异常波动',
  severity: 'info',
  class: '手工录入失误',
  explanation: '本次金额（按发放标准折算）偏离本人该项目历次中位数 50% 以上；标准调整带来的变化不算。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
WITH candidates AS
(
  SELECT ${PERSON_PROJECT} AS key FROM payment_detail
  WHERE ${PAID} AND standard > 0 ${personTouched(mode)}
  GROUP BY key
  HAVING count() >= 3 AND max(${PER_STANDARD}) - min(${PER_STANDARD}) > {jumpRatio:Float64} * min(${PER_STANDARD})
)
SELECT ${detailCaseColumns('d')}
FROM (SELECT *, ${PER_STANDARD} AS per_standard FROM payment_detail
      WHERE ${PAID} AND standard > 0 ${personTouched(mode)} AND ${PERSON_PROJECT} IN candidates) AS d
INNER JOIN
(
  SELECT id_number, project_code, median(${PER_STANDARD}) AS median_value, count() AS n
  FROM payment_detail
  WHERE ${PAID} AND standard > 0 ${personTouched(mode)} AND ${PERSON_PROJECT} IN candidates
  GROUP BY id_number, project_code
  HAVING n >= 3
) AS m ON m.id_number = d.id_number AND m.project_code = d.project_code
WHERE abs(d.per_standard - m.median_value) > {jumpRatio:Float64} * m.median_value`,
})
