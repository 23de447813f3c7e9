import { defineRule } from '../types'
import { groupCaseColumns, groupPersonSubject, PAID } from './sqlParts'

export default defineRule({
  id: 'R03',
  name: '跨地区重复享受',
  severity: 'critical',
  class: '后台数据不全',
  explanation: '同一人同一项目同一期在两个及以上区县都有发放。',
  incremental: true,
  sql: `
SELECT ${groupCaseColumns(`concat(id_number, '|', project_code, '|', toString(period))`, groupPersonSubject)}
FROM payment_detail
WHERE ${PAID}
  AND (id_number, project_code, period) IN
      (SELECT id_number, project_code, period FROM payment_detail WHERE ingested_at > {since:DateTime64(3)})
GROUP BY id_number, project_code, period
HAVING uniqExact(payment_detail.county_code) >= 2`,
})
