import { maskCardSql } from '../maskSql'
import { defineRule } from '../types'
import { groupCaseColumns, touched } from './sqlParts'

/**
 * Two stages: cards whose smallest and largest id_number (and household) differ are exactly the
 * cards with ≥ 2 of each, found with min/max alone; the case columns are built for those cards only.
 */
export default defineRule({
  id: 'R09',
  name: '一卡多人',
  severity: 'critical',
  class: '基础数据不准',
  explanation: '同一张社保卡（账户）为两个及以上不同户的人领取补贴。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
SELECT ${groupCaseColumns('card_number', `concat('卡号 ', ${maskCardSql('card_number')}, '（', toString(uniqExact(id_number)), '人）')`)}
FROM payment_detail
WHERE card_number IN
      (SELECT card_number FROM payment_detail
       WHERE card_number != '' ${touched(mode, 'card_number')}
       GROUP BY card_number HAVING min(id_number) != max(id_number) AND min(household_id) != max(household_id))
GROUP BY card_number`,
})
