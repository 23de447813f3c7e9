import { defineRule } from '../types'
import { groupCaseColumns, groupPersonSubject, PAID, personTouched } from './sqlParts'

export default defineRule({
  id: 'R07',
  name: '公职人员违规领取救助',
  severity: 'critical',
  class: '政策风险',
  explanation: '公职人员或财政供养人员领取了低保、特困、临时救助等救助类补贴。',
  incremental: true,
  reads: ['payment_detail', 'ref_official'],
  sql: (mode) => `
SELECT ${groupCaseColumns(`concat(id_number, '|', project_code)`, groupPersonSubject)}
FROM payment_detail
WHERE ${PAID}
  AND project_code IN {reliefProjects:Array(String)}
  AND id_number IN (SELECT id_number FROM ref_official WHERE kind IN ('公职人员', '财政供养人员'))
  ${personTouched(mode)}
GROUP BY id_number, project_code`,
})
