import { maskPhoneSql } from '../maskSql'
import { defineRule } from '../types'
import { groupCaseColumns, touched } from './sqlParts'

/** Two stages like R09: phones of more than one household (min/max), then the exact count on those. */
export default defineRule({
  id: 'R11',
  name: '多人共用手机号',
  severity: 'info',
  class: '基础数据不准',
  explanation: '同一手机号被多个不同户的补贴对象预留，可能被他人代办或冒领。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
SELECT ${groupCaseColumns('phone', `concat('手机 ', ${maskPhoneSql('phone')}, '（', toString(uniqExact(id_number)), '人）')`)}
FROM payment_detail
WHERE phone IN
      (SELECT phone FROM payment_detail
       WHERE phone != '' ${touched(mode, 'phone')}
       GROUP BY phone HAVING min(household_id) != max(household_id))
GROUP BY phone
HAVING uniqExact(id_number) >= {sharedPhoneMin:UInt32} AND uniqExact(household_id) >= 2`,
})
