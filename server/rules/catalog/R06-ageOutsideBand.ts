import { defineRule } from '../types'
import { detailCaseColumns, PAID } from './sqlParts'

/** Age in completed years on the first day of the period paid for. */
export default defineRule({
  id: 'R06',
  name: '年龄不符合条件',
  severity: 'warn',
  class: '基础数据不准',
  explanation: '按出生日期计算，领取期间的年龄不在该项目的年龄范围内（如不满 80 岁领高龄津贴）。',
  incremental: true,
  sql: `
SELECT ${detailCaseColumns('d')}
FROM payment_detail AS d
WHERE d.${PAID}
  AND d.ingested_at > {since:DateTime64(3)}
  AND mapContains({ageMin:Map(String, UInt8)}, d.project_code)
  AND (age('year', d.birth_date, makeDate32(intDiv(d.period, 100), d.period % 100, 1)) AS age_at_period
         < {ageMin:Map(String, UInt8)}[d.project_code]
       OR age_at_period > {ageMax:Map(String, UInt8)}[d.project_code])`,
})
