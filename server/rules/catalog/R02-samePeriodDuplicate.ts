import { defineRule } from '../types'
import { groupCaseColumns, groupPersonSubject, PAID, touched } from './sqlParts'

/**
 * Within one county; the same person paid in two counties is R03's case. Two stages: numbers first
 * (a 64-bit hash of person, project and period, grouped over every payment), then the exact check and
 * the case columns over the few rows behind a repeated hash, so a hash collision cannot make a case.
 */
export const PERSON_PROJECT_PERIOD = 'cityHash64(id_number, project_code, period)'

export default defineRule({
  id: 'R02',
  name: '同期重复发放',
  severity: 'critical',
  class: '手工录入失误',
  explanation: '同一人同一项目同一期在本县发放了不止一次。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
SELECT ${groupCaseColumns(`concat(id_number, '|', project_code, '|', toString(period))`, groupPersonSubject)}
FROM payment_detail
WHERE ${PAID}
  AND ${PERSON_PROJECT_PERIOD} IN
      (SELECT ${PERSON_PROJECT_PERIOD} AS key FROM payment_detail
       WHERE ${PAID} ${touched(mode, PERSON_PROJECT_PERIOD)}
       GROUP BY key HAVING count() >= 2 AND min(county_code) = max(county_code))
GROUP BY id_number, project_code, period
HAVING count() >= 2 AND uniqExact(payment_detail.county_code) = 1`,
})
