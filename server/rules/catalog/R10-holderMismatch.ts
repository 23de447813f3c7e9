import { defineRule } from '../types'
import { detailCaseColumns, ingestedSince } from './sqlParts'

export default defineRule({
  id: 'R10',
  name: '账户户名不符',
  severity: 'warn',
  class: '基础数据不准',
  explanation: '银行返回的账户户名或证件号与补贴对象不一致。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
SELECT ${detailCaseColumns('d')}
FROM payment_detail AS d
WHERE ((d.account_holder != '' AND d.account_holder != d.person_name)
       OR (d.holder_id_number != '' AND d.holder_id_number != d.id_number))
  ${ingestedSince(mode, 'd')}`,
})
