import { defineRule } from '../types'
import { detailCaseColumns, PAID } from './sqlParts'

/** Against the person's own median for the item, and only where the standard itself did not move. */
export default defineRule({
  id: 'R23',
  name: '金额异常波动',
  severity: 'info',
  class: '手工录入失误',
  explanation: '本次金额偏离本人该项目历次金额中位数 50% 以上，且发放标准未调整。',
  incremental: true,
  sql: `
SELECT ${detailCaseColumns('d')}
FROM payment_detail AS d
INNER JOIN
(
  SELECT id_number, project_code,
         median(toFloat64(amount_paid)) AS median_amount, median(toFloat64(standard)) AS median_standard, count() AS n
  FROM payment_detail
  WHERE ${PAID}
    AND (id_number, project_code) IN (SELECT id_number, project_code FROM payment_detail WHERE ingested_at > {since:DateTime64(3)})
  GROUP BY id_number, project_code
  HAVING n >= 3
) AS m ON m.id_number = d.id_number AND m.project_code = d.project_code
WHERE d.${PAID}
  AND toFloat64(d.standard) = m.median_standard
  AND abs(toFloat64(d.amount_paid) - m.median_amount) > {jumpRatio:Float64} * m.median_amount`,
})
