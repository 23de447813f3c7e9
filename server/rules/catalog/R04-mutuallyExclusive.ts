import { defineRule } from '../types'
import { groupCaseColumns, groupPersonSubject, PAID, personTouched } from './sqlParts'

const EXCLUSION_GROUP = '{exclusionGroup:Map(String, String)}[project_code]'
const PERSON_PERIOD_GROUP = `cityHash64(id_number, period, ${EXCLUSION_GROUP})`

/** Two stages like R02: hashes of (person, period, group) paid twice, then the exact check (two projects). */
export default defineRule({
  id: 'R04',
  name: '互斥项目同时享受',
  severity: 'warn',
  class: '后台数据不全',
  explanation: '同一人同一期享受了同一互斥组内的两个项目（如孤儿与事实无人抚养儿童）。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
SELECT ${groupCaseColumns(`concat(id_number, '|', toString(period), '|', exclusion_group)`, groupPersonSubject)}
FROM
(
  SELECT *, ${EXCLUSION_GROUP} AS exclusion_group
  FROM payment_detail
  WHERE ${PAID}
    AND project_code IN mapKeys({exclusionGroup:Map(String, String)}) ${personTouched(mode)}
    AND ${PERSON_PERIOD_GROUP} IN
        (SELECT ${PERSON_PERIOD_GROUP} AS key FROM payment_detail
         WHERE ${PAID} AND project_code IN mapKeys({exclusionGroup:Map(String, String)}) ${personTouched(mode)}
         GROUP BY key HAVING count() >= 2)
)
GROUP BY id_number, period, exclusion_group
HAVING uniqExact(project_code) >= 2`,
})
