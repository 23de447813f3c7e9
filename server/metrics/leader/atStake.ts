import { z } from 'zod'
import { getRegion } from '../../../geo/regions'
import { FLAGS_WITH_STATUS } from '../../rules/queries/listFlags'
import { defineFlagMetric } from '../wall/rulesChecked'
import { regionParam } from '../sql/region'
import { roundMoney } from '../sql/query'
import { rowsPerRegion } from './perRegionRows'

const amountRow = z.object({ region: z.string(), amount: z.coerce.number(), n: z.coerce.number() })
const villageAmountRow = z.object({ region: z.string(), village: z.string(), amount: z.coerce.number(), n: z.coerce.number() })

/**
 * What a leader asks first about open problems: how much money they concern, and where. "Open"
 * is the same as on every flag panel: no ledger item yet, or an item still 待核实 / 整改中.
 */
const OPEN = "status IN ('未建账', '待核实', '整改中')"

export const flagsCriticalAmount = defineFlagMetric({
  name: 'flags.criticalAmount',
  title: '未处置重大预警涉及金额',
  params: z.object({ region: regionParam }).strict(),
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => {
    const [row = { amount: 0, n: 0 }] = await rowsPerRegion(
      db,
      'criticalAmount',
      region,
      `(${FLAGS_WITH_STATUS})`,
      (source) => `SELECT region, toFloat64(sum(ifNull(amount, 0))) AS amount, count() AS n
                   FROM ${source} AND severity = 'critical' AND ${OPEN} GROUP BY region`,
      {},
      amountRow,
    )
    return { kind: 'value', value: roundMoney(row.amount), note: `共 ${row.n} 条重大预警未处置` }
  },
})

/** Villages by the money their open flags concern (flags without a village are left out). */
export const flagsTopVillages = defineFlagMetric({
  name: 'flags.topVillages',
  title: '问题村（社区）排名（涉及金额）',
  params: z.object({ region: regionParam, limit: z.coerce.number().int().min(1).max(50).default(10) }).strict(),
  reads: ['flags', 'ledger'],
  run: async (db, { region, limit }) => {
    const rows = await rowsPerRegion(
      db,
      `topVillages|${limit}`,
      region,
      `(${FLAGS_WITH_STATUS})`,
      (source) => `SELECT region, village_code AS village, toFloat64(sum(ifNull(amount, 0))) AS amount, count() AS n
                   FROM ${source} AND ${OPEN} AND village_code != ''
                   GROUP BY region, village ORDER BY region, amount DESC, n DESC, village LIMIT {limit:UInt32} BY region`,
      { limit },
      villageAmountRow,
    )
    const label = (code: string) => {
      const village = getRegion(code)
      const town = village?.parent ? getRegion(village.parent) : undefined
      return village ? `${town ? `${town.name}·` : ''}${village.name}` : code
    }
    return {
      kind: 'series',
      categories: rows.map((row) => label(row.village)),
      series: [
        // one unit per chart: a count beside amounts would be a flat line on the 元 axis
        { name: '涉及金额', values: rows.map((row) => roundMoney(row.amount)) },
      ],
    }
  },
})
