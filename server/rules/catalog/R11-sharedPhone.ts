import { maskPhoneSql } from '../maskSql'
import { defineRule } from '../types'
import { groupCaseColumns } from './sqlParts'

export default defineRule({
  id: 'R11',
  name: '多人共用手机号',
  severity: 'info',
  class: '基础数据不准',
  explanation: '同一手机号被多个不同户的补贴对象预留，可能被他人代办或冒领。',
  incremental: true,
  sql: `
SELECT ${groupCaseColumns('phone', `concat('手机 ', ${maskPhoneSql('phone')}, '（', toString(uniqExact(id_number)), '人）')`)}
FROM payment_detail
WHERE phone != ''
  AND phone IN (SELECT phone FROM payment_detail WHERE ingested_at > {since:DateTime64(3)})
GROUP BY phone
HAVING uniqExact(id_number) >= {sharedPhoneMin:UInt32} AND uniqExact(household_id) >= 2`,
})
