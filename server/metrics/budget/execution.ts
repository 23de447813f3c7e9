import { z } from 'zod'
import { defineMetric } from '../define'
import { childRegions, levelOf } from '../sql/region'
import { roundMoney, roundPercent, selectRows } from '../sql/query'
import { elapsedShareOfYear } from '../sql/time'
import { getRegion, countyOf } from '../../../geo/regions'
import { budgetParams, chainScope } from './chainSql'

/**
 * 执行率 = paid to cards ÷ issued (下达) budget of the fiscal year, compared with 序时进度, the
 * share of the year elapsed (R19 flags an indicator far below it).
 */
const executionRow = z.object({ key: z.string(), issued: z.coerce.number(), paid: z.coerce.number() })

const GROUP_COLUMNS = { none: "''", county: 'i.county_code', dept: 'i.dept' } as const

function executionSql(ctes: string, groupBy: keyof typeof GROUP_COLUMNS): string {
  return `${ctes}
    SELECT ${GROUP_COLUMNS[groupBy]} AS key,
           toFloat64(sumIf(i.amount, i.issued_date IS NOT NULL)) AS issued,
           toFloat64(sum(ifNull(pi.paid, 0))) AS paid
    FROM indicators AS i LEFT JOIN paid_by_indicator AS pi ON pi.indicator_id = i.indicator_id
    GROUP BY key ORDER BY key
    SETTINGS join_use_nulls = 1`
}

function rate(row: { issued: number; paid: number } | undefined): number {
  return row && row.issued > 0 ? roundPercent((row.paid / row.issued) * 100) : 0
}

export const budgetExecutionRate = defineMetric({
  name: 'budget.executionRate',
  title: '预算执行率',
  params: budgetParams,
  reads: ['budget', 'payments'],
  run: async (db, params) => {
    const scope = await chainScope(db, params)
    const [row] = await selectRows(db, executionSql(scope.ctes, 'none'), scope.params, executionRow)
    return {
      kind: 'value',
      value: rate(row),
      compare: { label: '序时进度', value: roundPercent(elapsedShareOfYear(scope.year, scope.day) * 100) },
    }
  },
})

/** City: one row per county. A county or below has no budget of its own children, so it shows its county. */
export const budgetExecutionByRegion = defineMetric({
  name: 'budget.executionByRegion',
  title: '各地区预算执行率',
  params: budgetParams,
  reads: ['budget', 'payments'],
  run: async (db, params) => {
    const scope = await chainScope(db, params)
    const rows = await selectRows(db, executionSql(scope.ctes, 'county'), scope.params, executionRow)
    const byCounty = new Map(rows.map((row) => [row.key, row]))
    const counties =
      levelOf(params.region) === 'city'
        ? childRegions(params.region)
        : [{ code: countyOf(params.region)!, name: getRegion(countyOf(params.region)!)!.name }]
    return {
      kind: 'regions',
      rows: counties.map(({ code, name }) => {
        const row = byCounty.get(code)
        return { code, name, value: rate(row), extra: { issued: roundMoney(row?.issued ?? 0), paid: roundMoney(row?.paid ?? 0) } }
      }),
    }
  },
})

export const budgetExecutionByDept = defineMetric({
  name: 'budget.executionByDept',
  title: '各部门预算执行率',
  params: budgetParams,
  reads: ['budget', 'payments'],
  run: async (db, params) => {
    const scope = await chainScope(db, params)
    const rows = await selectRows(db, executionSql(scope.ctes, 'dept'), scope.params, executionRow)
    return {
      kind: 'series',
      categories: rows.map((row) => row.key),
      series: [
        { name: '执行率', values: rows.map((row) => rate(row)) },
        { name: '下达', values: rows.map((row) => roundMoney(row.issued)) },
        { name: '支付', values: rows.map((row) => roundMoney(row.paid)) },
      ],
    }
  },
})
