import { defineRule } from '../types'
import { groupCaseColumns, groupPersonSubject, PAID } from './sqlParts'

/** Within one county; the same person paid in two counties is R03's case. */
export default defineRule({
  id: 'R02',
  name: '同期重复发放',
  severity: 'critical',
  class: '手工录入失误',
  explanation: '同一人同一项目同一期在本县发放了不止一次。',
  incremental: true,
  sql: `
SELECT ${groupCaseColumns(`concat(id_number, '|', project_code, '|', toString(period))`, groupPersonSubject)}
FROM payment_detail
WHERE ${PAID}
  AND (id_number, project_code, period) IN
      (SELECT id_number, project_code, period FROM payment_detail WHERE ingested_at > {since:DateTime64(3)})
GROUP BY id_number, project_code, period
HAVING count() >= 2 AND uniqExact(payment_detail.county_code) = 1`,
})
