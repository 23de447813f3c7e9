import { defineRule } from '../types'
import { detailCaseColumns, ingestedSince, PAID } from './sqlParts'

export default defineRule({
  id: 'R18',
  name: '发放不及时',
  severity: 'info',
  class: '后台数据不全',
  explanation: '补贴在所属期结束 45 天后才发放。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
SELECT ${detailCaseColumns('d')}
FROM payment_detail AS d
WHERE d.${PAID}
  AND d.reissue_of = ''
  ${ingestedSince(mode, 'd')}
  AND toDate(d.pay_time) > toLastDayOfMonth(makeDate(intDiv(d.period, 100), d.period % 100, 1)) + toIntervalDay({lateDays:UInt32})`,
})
