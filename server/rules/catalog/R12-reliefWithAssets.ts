import { defineRule } from '../types'
import { groupCaseColumns, groupPersonSubject, PAID } from './sqlParts'

export default defineRule({
  id: 'R12',
  name: '有车有房领取救助',
  severity: 'warn',
  class: '政策风险',
  explanation: '救助类补贴对象名下有私家车、两套及以上房产或在营经营主体。',
  incremental: true,
  sql: `
SELECT ${groupCaseColumns(`concat(id_number, '|', project_code)`, groupPersonSubject)}
FROM payment_detail
WHERE ${PAID}
  AND has({reliefProjects:Array(String)}, project_code)
  AND id_number IN
      (SELECT id_number FROM ref_asset
       GROUP BY id_number
       HAVING maxIf(count, kind = '私家车') >= 1 OR maxIf(count, kind = '房产') >= 2 OR maxIf(count, kind = '经营主体') >= 1)
  AND (id_number, project_code) IN (SELECT id_number, project_code FROM payment_detail WHERE ingested_at > {since:DateTime64(3)})
GROUP BY id_number, project_code`,
})
