import { defineRule } from '../types'
import { PERSON_PROJECT_PERIOD } from './R02-samePeriodDuplicate'
import { groupCaseColumns, groupPersonSubject, PAID, touched } from './sqlParts'

/** Two stages like R02: hashes paid in more than one county, then the exact check on their rows. */
export default defineRule({
  id: 'R03',
  name: '跨地区重复享受',
  severity: 'critical',
  class: '后台数据不全',
  explanation: '同一人同一项目同一期在两个及以上区县都有发放。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
SELECT ${groupCaseColumns(`concat(id_number, '|', project_code, '|', toString(period))`, groupPersonSubject)}
FROM payment_detail
WHERE ${PAID}
  AND ${PERSON_PROJECT_PERIOD} IN
      (SELECT ${PERSON_PROJECT_PERIOD} AS key FROM payment_detail
       WHERE ${PAID} ${touched(mode, PERSON_PROJECT_PERIOD)}
       GROUP BY key HAVING min(county_code) != max(county_code))
GROUP BY id_number, project_code, period
HAVING uniqExact(payment_detail.county_code) >= 2`,
})
