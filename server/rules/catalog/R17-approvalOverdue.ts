import { defineRule } from '../types'
import { maskIdSql } from '../maskSql'

/**
 * One case per application and the node it waits for (the next node not reached), once the wait
 * exceeds that node's SLA. Reminders (1×) and escalations (2×) are counted live in approvals.ts.
 */
export const WAITING_APPLICATIONS = `
SELECT application_id,
       arrayElement(['户报', '村评', '镇审', '县定', '市管'], toUInt8(max(node)) + 1) AS next_node,
       max(at) AS waiting_since,
       dateDiff('day', toDate(max(at)), {today:Date}) AS waited_days,
       argMax(county_code, at) AS county_code, argMax(town_code, at) AS town_code,
       argMax(village_code, at) AS village_code, any(id_number) AS id_number, any(project_code) AS project_code
FROM workflow_event FINAL
GROUP BY application_id
HAVING toUInt8(max(node)) < 5`

export default defineRule({
  id: 'R17',
  name: '审批超时',
  severity: 'warn',
  class: '后台数据不全',
  explanation: '户报→村评→镇审→县定→市管某一环节等待超过时限（1 倍提醒，2 倍督办）。',
  incremental: false,
  reads: ['workflow_event'],
  sql: () => `
SELECT concat(application_id, '|', next_node) AS case_key, county_code, town_code, village_code,
       CAST(NULL, 'Nullable(Float64)') AS amount,
       concat('申请 ', ${maskIdSql('id_number')}, ' 待', next_node, ' 已等 ', toString(waited_days), ' 天') AS subject,
       [] :: Array(String) AS detail_ids,
       now64(3, 'Asia/Shanghai') AS detected_at
FROM (${WAITING_APPLICATIONS})
WHERE waited_days > {slaDays:Map(String, UInt32)}[next_node]`,
})
