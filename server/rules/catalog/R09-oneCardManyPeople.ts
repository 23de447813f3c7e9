import { maskCardSql } from '../maskSql'
import { defineRule } from '../types'
import { groupCaseColumns } from './sqlParts'

export default defineRule({
  id: 'R09',
  name: '一卡多人',
  severity: 'critical',
  class: '基础数据不准',
  explanation: '同一张社保卡（账户）为两个及以上不同户的人领取补贴。',
  incremental: true,
  sql: `
SELECT ${groupCaseColumns('card_number', `concat('卡号 ', ${maskCardSql('card_number')}, '（', toString(uniqExact(id_number)), '人）')`)}
FROM payment_detail
WHERE card_number != ''
  AND card_number IN (SELECT card_number FROM payment_detail WHERE ingested_at > {since:DateTime64(3)})
GROUP BY card_number
HAVING uniqExact(id_number) >= 2 AND uniqExact(household_id) >= 2`,
})
