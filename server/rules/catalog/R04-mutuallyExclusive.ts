import { defineRule } from '../types'
import { groupCaseColumns, groupPersonSubject, PAID } from './sqlParts'

export default defineRule({
  id: 'R04',
  name: '互斥项目同时享受',
  severity: 'warn',
  class: '后台数据不全',
  explanation: '同一人同一期享受了同一互斥组内的两个项目（如孤儿与事实无人抚养儿童）。',
  incremental: true,
  sql: `
SELECT ${groupCaseColumns(`concat(id_number, '|', toString(period), '|', exclusion_group)`, groupPersonSubject)}
FROM
(
  SELECT *, {exclusionGroup:Map(String, String)}[project_code] AS exclusion_group
  FROM payment_detail
  WHERE ${PAID}
    AND mapContains({exclusionGroup:Map(String, String)}, project_code)
    AND (id_number, period) IN (SELECT id_number, period FROM payment_detail WHERE ingested_at > {since:DateTime64(3)})
)
GROUP BY id_number, period, exclusion_group
HAVING uniqExact(project_code) >= 2`,
})
