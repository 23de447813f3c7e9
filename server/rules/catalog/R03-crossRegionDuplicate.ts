import { defineRule } from '../types'
import { PERSON_PROJECT_PERIOD } from './R02-samePeriodDuplicate'
import { groupCaseColumns, groupPersonSubject, PAID, personTouched } from './sqlParts'

/** Two stages like R02: hashes paid more than once, then the exact check (two counties) on their rows. */
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
WHERE ${PAID} ${personTouched(mode)}
  AND ${PERSON_PROJECT_PERIOD} IN
      (SELECT ${PERSON_PROJECT_PERIOD} AS key FROM payment_detail
       WHERE ${PAID} ${personTouched(mode)}
       GROUP BY key HAVING count() >= 2)
GROUP BY id_number, project_code, period
HAVING uniqExact(payment_detail.county_code) >= 2`,
})
