import { z } from 'zod'
import { getRegion } from '../../../geo/regions'
import { defineMetric } from '../define'
import { childColumn, childRegions, levelOf, regionCondition, regionParam } from '../sql/region'
import { roundMoney, selectRows } from '../sql/query'
import { monthStart, yearMonthParam } from '../sql/time'
import type { QueryParams } from '../sql/query'

/** Village-level rollup: the only one with all three region columns. */
const byRegionParams = z
  .object({
    region: regionParam.refine((code) => levelOf(code) !== 'village', { message: '村（社区）没有下级地区' }),
    from: yearMonthParam.optional(),
    to: yearMonthParam.optional(),
  })
  .strict()

function villageRollupWhere(params: { region: string; from?: number; to?: number }): { where: string; queryParams: QueryParams } {
  const conditions = ["status = '成功'", regionCondition(params.region)]
  const queryParams: QueryParams = { region: params.region }
  if (params.from !== undefined) {
    conditions.push('month >= {from:Date}')
    queryParams.from = monthStart(params.from)
  }
  if (params.to !== undefined) {
    conditions.push('month <= {to:Date}')
    queryParams.to = monthStart(params.to)
  }
  return { where: conditions.join(' AND '), queryParams }
}

const regionRow = z.object({ code: z.string(), amount: z.coerce.number(), payments: z.coerce.number(), persons: z.coerce.number() })

export const paymentsByChildRegion = defineMetric({
  name: 'payments.byChildRegion',
  title: '各地区发放金额',
  params: byRegionParams,
  reads: ['payments'],
  run: async (db, params) => {
    const column = childColumn(params.region)
    const { where, queryParams } = villageRollupWhere(params)
    // All time: persons from the per-village rollup (one small state per village), not per month.
    const allTime = params.from === undefined && params.to === undefined
    const rows = await selectRows(
      db,
      allTime
        ? `SELECT code, amount, payments, persons FROM
             (SELECT ${column} AS code, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
              FROM agg_village_month WHERE ${where} GROUP BY code) AS paid
           LEFT JOIN
             (SELECT ${column} AS code, uniqMerge(persons) AS persons
              FROM agg_persons_village WHERE ${regionCondition(params.region)} GROUP BY code) AS people
           USING code`
        : `SELECT ${column} AS code, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments, uniqMerge(persons) AS persons
           FROM agg_village_month WHERE ${where} GROUP BY code`,
      queryParams,
      regionRow,
    )
    const byCode = new Map(rows.map((row) => [row.code, row]))
    return {
      kind: 'regions',
      rows: childRegions(params.region).map(({ code, name }) => {
        const row = byCode.get(code)
        return { code, name, value: roundMoney(row?.amount ?? 0), extra: { count: row?.payments ?? 0, persons: row?.persons ?? 0 } }
      }),
    }
  },
})

export const paymentsTopVillages = defineMetric({
  name: 'payments.topVillages',
  title: '发放金额前列村（社区）',
  params: byRegionParams.extend({ limit: z.coerce.number().int().min(1).max(100).default(10) }).strict(),
  reads: ['payments'],
  run: async (db, params) => {
    const { where, queryParams } = villageRollupWhere(params)
    const rows = await selectRows(
      db,
      `SELECT village_code AS code, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments, uniqMerge(persons) AS persons
       FROM agg_village_month WHERE ${where}
       GROUP BY code ORDER BY amount DESC, code LIMIT {limit:UInt32}`,
      { ...queryParams, limit: params.limit },
      regionRow,
    )
    return {
      kind: 'table',
      columns: [
        { key: 'rank', title: '排名' },
        { key: 'village', title: '村（社区）' },
        { key: 'town', title: '乡镇（街道）' },
        { key: 'amount', title: '发放金额' },
        { key: 'count', title: '人次' },
        { key: 'persons', title: '人数' },
      ],
      rows: rows.map((row, index) => {
        const village = getRegion(row.code)
        return {
          rank: index + 1,
          village: village?.name ?? row.code,
          town: village?.parent ? (getRegion(village.parent)?.name ?? village.parent) : null,
          amount: roundMoney(row.amount),
          count: row.payments,
          persons: row.persons,
        }
      }),
    }
  },
})
