import { defineRule } from '../types'
import { groupCaseColumns, groupPersonSubject, PAID, personTouched } from './sqlParts'

/** Attention, not a verdict: cadres and their relatives may be eligible, but their cases are watched. */
export default defineRule({
  id: 'R08',
  name: '村干部及近亲属享受补贴',
  severity: 'info',
  class: '政策风险',
  explanation: '村干部或其近亲属领取了须经村级评议的补贴，提示关注评议是否回避。',
  incremental: true,
  reads: ['payment_detail', 'ref_official'],
  sql: (mode) => `
SELECT ${groupCaseColumns(`concat(id_number, '|', project_code)`, groupPersonSubject)}
FROM payment_detail
WHERE ${PAID}
  AND project_code IN {villageReviewedProjects:Array(String)}
  AND id_number IN (SELECT id_number FROM ref_official WHERE kind IN ('村干部', '村干部亲属'))
  ${personTouched(mode)}
GROUP BY id_number, project_code`,
})
