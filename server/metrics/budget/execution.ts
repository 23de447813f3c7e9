import { z } from 'zod'
import { defineMetric, HISTORY_REFRESH_MS } from '../define'
import { projectName } from '../../catalogue/projectFacts'
import { childRegions, levelOf } from '../sql/region'
import { roundMoney, roundPercent } from '../sql/query'
import { elapsedShareOfYear } from '../sql/time'
import { getRegion, countyOf } from '../../../geo/regions'
import { budgetParams, chainScope } from './chainSql'
import { chainTotals, chainTotalsBy, selectIndicatorChain } from './indicatorChain'
import { seriesOfFigures } from '../../../dashboards/types'

/**
 * 执行率 = paid to cards ÷ issued (下达) budget of the fiscal year, compared with 序时进度, the
 * share of the year elapsed (R19 flags an indicator far below it). Paid counts against every
 * indicator of the year, issued or not.
 */
function rate(totals: { issued: number; paid: number } | undefined): number {
  return totals && totals.issued > 0 ? roundPercent((totals.paid / totals.issued) * 100) : 0
}

export const NOTHING_ISSUED = '本年度尚无下达指标'
/** The same for one county's bar among others that have budget. */
export const NONE_ISSUED_HERE = '无下达指标'

/** 序时进度 of the scope's fiscal year: the line every execution bar is read against. */
function schedule(scope: { year: number; day: string }): { label: string; value: number } {
  return { label: '序时进度', value: roundPercent(elapsedShareOfYear(scope.year, scope.day) * 100) }
}

export const budgetExecutionRate = defineMetric({
  name: 'budget.executionRate',
  title: '预算执行率',
  params: budgetParams,
  reads: ['budget', 'payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => {
    const scope = await chainScope(db, params)
    const rows = await selectIndicatorChain(db, scope)
    const totals = rows.length > 0 ? chainTotals(rows) : undefined
    // Nothing issued yet (early in the year, or a county without indicators): a rate of 0 % would
    // read as money issued and not spent, so the panel says what is the case instead.
    if (!totals || totals.issued <= 0) return { kind: 'notApplicable', reason: NOTHING_ISSUED }
    return { kind: 'value', value: rate(totals), compare: schedule(scope) }
  },
})

/** City: one row per county. A county or below has no budget of its own children, so it shows its county. */
export const budgetExecutionByRegion = defineMetric({
  name: 'budget.executionByRegion',
  title: '各地区预算执行率',
  params: budgetParams,
  reads: ['budget', 'payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => {
    const scope = await chainScope(db, params)
    const rows = await selectIndicatorChain(db, scope)
    const byCounty = new Map(chainTotalsBy(rows, 'county').map((totals) => [totals.key, totals]))
    const counties =
      levelOf(params.region) === 'city'
        ? childRegions(params.region)
        : [{ code: countyOf(params.region)!, name: getRegion(countyOf(params.region)!)!.name }]
    // As the rate beside it: where no county has anything issued, bars of 0 % would say otherwise.
    if (!counties.some(({ code }) => (byCounty.get(code)?.issued ?? 0) > 0)) return { kind: 'notApplicable', reason: NOTHING_ISSUED }
    return {
      kind: 'regions',
      rows: counties.map(({ code, name }) => {
        const totals = byCounty.get(code)
        const extra = { issued: roundMoney(totals?.issued ?? 0), paid: roundMoney(totals?.paid ?? 0) }
        // A county with nothing issued has no rate: 0 % would stand red below 序时进度 as if it idled.
        if (!totals || totals.issued <= 0) return { code, name, value: 0, note: NONE_ISSUED_HERE, extra }
        return { code, name, value: rate(totals), extra }
      }),
      reference: schedule(scope),
    }
  },
})

export const budgetExecutionByDept = defineMetric({
  name: 'budget.executionByDept',
  title: '各部门预算执行率',
  params: budgetParams,
  reads: ['budget', 'payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => {
    const scope = await chainScope(db, params)
    const byDept = chainTotalsBy(await selectIndicatorChain(db, scope), 'dept')
    if (!byDept.some((totals) => totals.issued > 0)) return { kind: 'notApplicable', reason: NOTHING_ISSUED }
    return {
      kind: 'series',
      reference: schedule(scope),
      categories: byDept.map((totals) => totals.key),
      series: [
        // a department with indicators allocated and none issued has no rate: a gap, not a red 0 %
        seriesOfFigures('执行率', byDept.map((totals) => (totals.issued > 0 ? rate(totals) : null))),
        { name: '下达', values: byDept.map((totals) => roundMoney(totals.issued)) },
        { name: '支付', values: byDept.map((totals) => roundMoney(totals.paid)) },
      ],
    }
  },
})

/**
 * The fiscal year's projects by what reached cards, with what was issued (下达) for them: the same
 * year as the funnel beside it (an all-years ranking there read as more paid than the funnel's total).
 */
export const budgetExecutionByProject = defineMetric({
  name: 'budget.executionByProject',
  title: '本年度项目支付与下达',
  params: budgetParams.extend({ limit: z.coerce.number().int().min(1).max(100).default(10) }).strict(),
  reads: ['budget', 'payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => {
    const byProject = chainTotalsBy(await selectIndicatorChain(db, await chainScope(db, params)), 'project')
      .sort((a, b) => b.paid - a.paid || (a.key < b.key ? -1 : 1))
      .slice(0, params.limit)
    return {
      kind: 'series',
      categories: byProject.map((totals) => projectName(totals.key)),
      series: [
        { name: '支付', values: byProject.map((totals) => roundMoney(totals.paid)) },
        { name: '下达', values: byProject.map((totals) => roundMoney(totals.issued)) },
      ],
    }
  },
})
