import { defineRule } from '../types'
import { detailCaseColumns, ingestedSince, PAID } from './sqlParts'

/**
 * Age in completed years on the first day of the period paid for. Computed on YYYYMMDD integers
 * (the difference divided by 10000 is the completed years), which gives age('year', …) exactly at a
 * fraction of its cost over millions of rows.
 */
export default defineRule({
  id: 'R06',
  name: '年龄不符合条件',
  severity: 'warn',
  class: '基础数据不准',
  explanation: '按出生日期计算，领取期间的年龄不在该项目的年龄范围内（如不满 80 岁领高龄津贴）。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
SELECT ${detailCaseColumns('d')}
FROM payment_detail AS d
WHERE d.${PAID}
  ${ingestedSince(mode, 'd')}
  AND d.project_code IN mapKeys({ageMin:Map(String, UInt8)})
  AND (intDiv(toInt64(d.period) * 100 + 1 - toInt64(toYYYYMMDD(d.birth_date)), 10000) AS age_at_period
         < {ageMin:Map(String, UInt8)}[d.project_code]
       OR age_at_period > {ageMax:Map(String, UInt8)}[d.project_code])`,
})
