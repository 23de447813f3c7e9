import { defineRule } from '../types'
import { detailCaseColumns, ingestedSince, PAID } from './sqlParts'

export default defineRule({
  id: 'R05',
  name: '超标准发放',
  severity: 'warn',
  class: '手工录入失误',
  explanation: '发放金额超过标准 × 基数（含容差）。',
  incremental: true,
  reads: ['payment_detail'],
  sql: (mode) => `
SELECT ${detailCaseColumns('d')}
FROM payment_detail AS d
WHERE d.${PAID}
  ${ingestedSince(mode, 'd')}
  AND d.amount_paid > d.standard * d.base_quantity * (1 + toDecimal64({tolerance:Float64}, 4))`,
})
