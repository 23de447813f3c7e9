import { defineRule } from '../types'
import { detailCaseColumns, ingestedSince, PAID } from './sqlParts'

export default defineRule({
  id: 'R01',
  name: '死亡后仍发放',
  severity: 'critical',
  class: '基础数据不准',
  explanation: '按月发放的项目在死亡次月及以后仍有发放，或其他项目在死亡 30 天后仍有发放。',
  incremental: true,
  reads: ['payment_detail', 'ref_death'],
  sql: (mode) => `
SELECT ${detailCaseColumns('d')}
FROM payment_detail AS d
INNER JOIN (SELECT id_number, min(death_date) AS death_date FROM ref_death GROUP BY id_number) AS x
  ON x.id_number = d.id_number
WHERE d.${PAID}
  ${ingestedSince(mode, 'd')}
  AND if(d.project_code IN {monthlyProjects:Array(String)},
         d.period > toYYYYMM(x.death_date),
         toDate(d.pay_time) > x.death_date + toIntervalDay({graceDays:UInt32}))`,
})
