import { defineRule } from '../types'
import { groupCaseColumns, groupPersonSubject, PAID, personTouched } from './sqlParts'

export default defineRule({
  id: 'R12',
  name: '有车有房领取救助',
  severity: 'warn',
  class: '政策风险',
  explanation: '救助类补贴对象名下有私家车、两套及以上房产或在营经营主体。',
  incremental: true,
  reads: ['payment_detail', 'ref_asset'],
  sql: (mode) => `
SELECT ${groupCaseColumns(`concat(id_number, '|', project_code)`, groupPersonSubject)}
FROM payment_detail
WHERE ${PAID}
  AND project_code IN {reliefProjects:Array(String)}
  AND id_number IN
      (SELECT id_number FROM ref_asset
       GROUP BY id_number
       HAVING maxIf(count, kind = '私家车') >= 1 OR maxIf(count, kind = '房产') >= 2 OR maxIf(count, kind = '经营主体') >= 1)
  ${personTouched(mode)}
GROUP BY id_number, project_code`,
})
