import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { openTempDb } from '../testing/tempDb'
import type { Db } from '../db/client'
import type { Router } from '../http/router'
import { createUser } from '../access/userStore'
import { signIn, startAccessServer, type AccessServer } from '../access/testing/accessServer'
import { seedDatabase } from '../simulate/seed'
import { projectByCode } from '../catalogue'
import { dashboards } from '../../dashboards'
import { REVIEW_FILTERS, type Panel, type PanelData, type ReviewFilterKind } from '../../dashboards/types'
import { registerMetricRoutes } from './routes'
import { NOTHING_ISSUED } from './budget/execution'
import { NOTHING_SETTLED } from './payments/quality'

/**
 * Filters are a contract: every theme × every filter kind, through the review page's route. Each
 * panel that declares a filter must come back filtered, equal to a query written here from the
 * raw tables (payment_detail, the budget chain), never from the rollups the metrics read. A panel
 * that does not declare it must be answered with the filter listed as ignored.
 */
type Filters = Partial<Record<ReviewFilterKind, string>>
type Oracle = (filters: Filters) => Promise<Expectation>
/** What a panel must show: a single value, values by category of one named series, or why it shows none. */
type Expectation = { value: number } | { series: string; byCategory: Map<string, number>; complete: boolean } | { reason: string }

let db: Db
let server: AccessServer
let leader: string
let year: string
let project: string
let dept: string

const row = z.record(z.string(), z.union([z.string(), z.number(), z.null()]))
async function raw(sql: string, params: Record<string, unknown> = {}): Promise<Array<Record<string, string | number | null>>> {
  const result = await db.client.query({ query: sql, query_params: params, format: 'JSONEachRow' })
  return z.array(row).parse(await result.json())
}

/** The project and department conditions of the filters, after `first` (the year's own condition). */
function projectAndDept(filters: Filters, first: string, params: Record<string, unknown>): { where: string; params: Record<string, unknown> } {
  const conditions = [first]
  if (filters.project) conditions.push('project_code = {p:String}')
  if (filters.dept) conditions.push('dept = {d:String}')
  return { where: conditions.join(' AND '), params: { ...params, ...(filters.project && { p: filters.project }), ...(filters.dept && { d: filters.dept }) } }
}

/** Raw payment conditions for the filters; `y` is the pay year. */
function paymentWhere(filters: Filters): { where: string; params: Record<string, unknown> } {
  return filters.year ? projectAndDept(filters, 'toYear(pay_time) = {y:UInt16}', { y: Number(filters.year) }) : projectAndDept(filters, '1', {})
}

async function paid(filters: Filters, select: string, group?: string): Promise<Array<Record<string, string | number | null>>> {
  const { where, params } = paymentWhere(filters)
  return raw(`SELECT ${select} FROM payment_detail WHERE status = '成功' AND ${where}${group ? ` GROUP BY ${group}` : ''}`, params)
}

const byKey = (rows: Array<Record<string, string | number | null>>, key: string, value: string) =>
  new Map(rows.map((r) => [String(r[key]), Number(r[value])]))

/** The fiscal year's chain from the raw tables: indicators of the year and filters, their plans, vouchers and card payments. */
async function chain(filters: Filters, groupBy?: 'county_code' | 'dept' | 'project_code') {
  const fy = Number(filters.year ?? (await raw('SELECT max(fiscal_year) AS y FROM budget_indicator'))[0].y)
  const { where, params } = projectAndDept(filters, 'fiscal_year = {fy:UInt16}', { fy })
  const key = groupBy ? `i.${groupBy}` : "''"
  return raw(
    `SELECT ${key} AS key,
            sum(toFloat64(i.amount)) AS allocated,
            sumIf(toFloat64(i.amount), i.issued_date IS NOT NULL) AS issued,
            sum(ifNull(pl.planned, 0)) AS planned, sum(ifNull(pl.vouchered, 0)) AS vouchered, sum(ifNull(pl.paid, 0)) AS paid
     FROM (SELECT * FROM budget_indicator FINAL WHERE ${where}) AS i
     LEFT JOIN (
       SELECT p.indicator_id AS indicator_id, sum(toFloat64(p.amount)) AS planned, sum(v.vouchered) AS vouchered, sum(v.paid) AS paid
       FROM (SELECT * FROM spending_plan FINAL) AS p
       LEFT JOIN (
         SELECT v.plan_id AS plan_id, sum(toFloat64(v.amount)) AS vouchered, sum(ifNull(d.paid, 0)) AS paid
         FROM (SELECT * FROM payment_voucher FINAL) AS v
         LEFT JOIN (SELECT voucher_id, sum(toFloat64(amount_paid)) AS paid FROM payment_detail WHERE status = '成功' GROUP BY voucher_id) AS d
           ON d.voucher_id = v.voucher_id
         GROUP BY v.plan_id) AS v ON v.plan_id = p.plan_id
       GROUP BY p.indicator_id) AS pl ON pl.indicator_id = i.indicator_id
     GROUP BY key
     SETTINGS join_use_nulls = 1`,
    params,
  )
}
const rate = (r: Record<string, string | number | null>) => (Number(r.issued) > 0 ? (Number(r.paid) / Number(r.issued)) * 100 : 0)
const projectTitle = (code: string) => projectByCode(code)?.name ?? code

/** One independent answer per metric that follows any filter; a new filtered metric without one fails the test. */
const oracles: Record<string, Oracle> = {
  'payments.total': async (f) => ({ value: Number((await paid(f, 'sum(toFloat64(amount_paid)) AS v'))[0].v) }),
  'payments.count': async (f) => ({ value: Number((await paid(f, 'count() AS v'))[0].v) }),
  'payments.persons': async (f) => ({ value: Number((await paid(f, 'uniqExact(id_number) AS v'))[0].v) }),
  'payments.successRate': async (f) => {
    const { where, params } = paymentWhere(f)
    const [r] = await raw(`SELECT countIf(status = '成功') AS ok, countIf(status != '在途') AS settled FROM payment_detail WHERE ${where}`, params)
    return Number(r.settled) === 0 ? { reason: NOTHING_SETTLED } : { value: (Number(r.ok) / Number(r.settled)) * 100 }
  },
  'payments.byStatus': async (f) => {
    const { where, params } = paymentWhere(f)
    const rows = await raw(`SELECT toString(status) AS k, count() AS n FROM payment_detail WHERE ${where} GROUP BY k`, params)
    return { series: '笔数', byCategory: byKey(rows, 'k', 'n'), complete: false }
  },
  'payments.byMonth': async (f) => {
    const rows = await paid(f, "concat(toString(toYear(pay_time)), '-', leftPad(toString(toMonth(pay_time)), 2, '0')) AS k, sum(toFloat64(amount_paid)) AS v", 'k')
    return { series: '金额', byCategory: byKey(rows, 'k', 'v'), complete: false }
  },
  'payments.byYear': async (f) => ({ series: '金额', byCategory: byKey(await paid(f, "concat(toString(toYear(pay_time)), '年') AS k, sum(toFloat64(amount_paid)) AS v", 'k'), 'k', 'v'), complete: true }),
  'payments.byProject': async (f) => {
    const rows = await paid(f, 'project_code AS k, sum(toFloat64(amount_paid)) AS v', 'k')
    return { series: '金额', byCategory: new Map(rows.map((r) => [projectTitle(String(r.k)), Number(r.v)])), complete: false }
  },
  'payments.byDept': async (f) => ({ series: '金额', byCategory: byKey(await paid(f, 'dept AS k, sum(toFloat64(amount_paid)) AS v', 'k'), 'k', 'v'), complete: true }),
  'payments.byBank': async (f) => ({ series: '金额', byCategory: byKey(await paid(f, 'bank AS k, sum(toFloat64(amount_paid)) AS v', 'k'), 'k', 'v'), complete: true }),
  'payments.byChildRegion': async (f) => ({ series: 'regions', byCategory: byKey(await paid(f, 'county_code AS k, sum(toFloat64(amount_paid)) AS v', 'k'), 'k', 'v'), complete: true }),
  // People per age band and gender (the pyramid counts people): the women's side, band by band.
  'payments.byAgeBand': async (f) => {
    const band = "multiIf(age_years >= 90, '90岁以上', concat(toString(intDiv(age_years, 10) * 10), '-', toString(intDiv(age_years, 10) * 10 + 9), '岁'))"
    const rows = await paid({ ...f }, `${band} AS k, uniqExactIf(id_number, gender = '女') AS v`, 'k')
    return { series: '女', byCategory: byKey(rows, 'k', 'v'), complete: true }
  },
  'budget.executionRate': async (f) => {
    const totals = (await chain(f))[0]
    return totals && Number(totals.issued) > 0 ? { value: rate(totals) } : { reason: NOTHING_ISSUED }
  },
  'budget.chain': async (f) => {
    const r = (await chain(f))[0] ?? {}
    const stages: Array<[string, string]> = [['指标分配', 'allocated'], ['指标下达', 'issued'], ['用款计划', 'planned'], ['支付凭证', 'vouchered'], ['支付明细', 'paid']]
    return { series: 'stages', byCategory: new Map(stages.map(([name, key]) => [name, Number(r[key] ?? 0)])), complete: true }
  },
  'budget.executionByRegion': async (f) => {
    const counties = await chain(f, 'county_code')
    if (!counties.some((r) => Number(r.issued) > 0)) return { reason: NOTHING_ISSUED }
    return { series: 'regions', byCategory: new Map(counties.map((r) => [String(r.key), rate(r)])), complete: false }
  },
  'budget.executionByDept': async (f) => {
    const depts = await chain(f, 'dept')
    if (!depts.some((r) => Number(r.issued) > 0)) return { reason: NOTHING_ISSUED }
    return { series: '执行率', byCategory: new Map(depts.map((r) => [String(r.key), rate(r)])), complete: true }
  },
  'budget.executionByProject': async (f) => ({ series: '支付', byCategory: new Map((await chain(f, 'project_code')).map((r) => [projectTitle(String(r.key)), Number(r.paid)])), complete: false }),
}

/** What the panel shows, in the expectation's shape. */
function shown(data: PanelData, expected: Expectation): number | string | Map<string, number> {
  if ('reason' in expected) return data.kind === 'notApplicable' ? data.reason : `unexpected ${data.kind}`
  if ('value' in expected) {
    if (data.kind === 'value') return data.value
    if (data.kind === 'series') return data.series.reduce((sum, s) => sum + s.values.reduce((a, b) => a + b, 0), 0) // the age pyramid: every band and gender
    throw new Error(`unexpected ${data.kind}`)
  }
  if (data.kind === 'regions') return new Map(data.rows.map((r) => [r.code, r.value]))
  if (data.kind === 'funnel') return new Map(data.stages.map((s) => [s.name, s.value]))
  if (data.kind === 'series') {
    const series = data.series.find((s) => s.name === expected.series)
    if (!series) throw new Error(`no series ${expected.series}`)
    return new Map(data.categories.map((c, i) => [c, series.values[i]]))
  }
  throw new Error(`unexpected ${data.kind}`)
}

function expectMatches(where: string, got: number | string | Map<string, number>, expected: Expectation): void {
  if ('reason' in expected) return expect(got, where).toBe(expected.reason)
  if ('value' in expected) return expect(got as number, where).toBeCloseTo(expected.value, 1)
  const panel = got as Map<string, number>
  for (const [category, value] of panel) {
    // Empty months and regions the raw query has no row for are zero on the panel.
    expect(value, `${where} · ${category}`).toBeCloseTo(expected.byCategory.get(category) ?? 0, 1)
  }
  if (expected.complete) for (const [category, value] of expected.byCategory) if (value !== 0) expect(panel.has(category), `${where} lacks ${category}`).toBe(true)
}

async function askPanel(panel: Panel, filters: Filters) {
  const query = new URLSearchParams({ region: '511000' })
  for (const [name, value] of Object.entries(panel.params)) query.set(name, String(value))
  for (const [name, value] of Object.entries(filters)) query.set(name, value)
  const response = await fetch(`${server.url}/api/metrics/${panel.metric}?${query}`, { headers: { cookie: leader } })
  return { status: response.status, body: (await response.json()) as { applied: ReviewFilterKind[]; ignored: ReviewFilterKind[]; data: PanelData; error?: string } }
}

beforeAll(async () => {
  const temp = await openTempDb()
  db = temp
  await seedDatabase(db, { scale: 20_000, seed: 11 })
  server = await startAccessServer(temp, { register: (router: Router) => registerMetricRoutes(router) })
  await createUser(db, { username: 'lead', role: 'leader', scope: '511000', password: 'lead-password-1' })
  leader = await signIn(server.url, 'lead', 'lead-password-1')
  // A year with both payments and a whole budget, the project and the department paying the most.
  const years = await raw('SELECT fiscal_year AS y FROM budget_indicator GROUP BY y ORDER BY y')
  year = String(years[Math.max(0, years.length - 2)].y)
  project = String((await raw("SELECT project_code AS k FROM payment_detail WHERE toYear(pay_time) = {y:UInt16} GROUP BY k ORDER BY count() DESC LIMIT 1", { y: Number(year) }))[0].k)
  const otherDept = projectByCode(project)!.dept
  dept = String((await raw('SELECT dept AS k FROM payment_detail WHERE dept != {d:String} GROUP BY k ORDER BY count() DESC LIMIT 1', { d: otherDept }))[0].k)
}, 180_000)
afterAll(async () => {
  await server?.close()
  await db?.close()
})

describe('review filters × every panel of every theme', () => {
  const cases = (): Array<[string, Filters]> => [
    ['year', { year }],
    ['project', { project }],
    ['dept', { dept }],
    ['year + project', { year, project }],
    ['year + dept', { year, dept: projectByCode(project)!.dept }],
  ]

  for (const [theme, dashboard] of Object.entries(dashboards)) {
    it(`${theme}: every declared filter applied and equal to the raw tables; every other one declared ignored`, async () => {
      for (const [label, filters] of cases()) {
        for (const panel of dashboard.panels) {
          const where = `${theme}/${panel.id} (${panel.metric}) under ${label} ${JSON.stringify(filters)}`
          const { status, body } = await askPanel(panel, filters)
          expect(status, `${where}: ${body.error ?? ''}`).toBe(200)
          const active = REVIEW_FILTERS.filter((kind) => filters[kind])
          expect(body.applied, where).toEqual(active.filter((kind) => panel.filters.includes(kind)))
          expect(body.ignored, where).toEqual(active.filter((kind) => !panel.filters.includes(kind)))
          if (body.applied.length === 0) continue
          const oracle = oracles[panel.metric]
          expect(oracle, `${where}: no independent query for a filtered metric`).toBeDefined()
          const applied = Object.fromEntries(body.applied.map((kind) => [kind, filters[kind]])) as Filters
          const expected = await oracle(applied)
          expectMatches(where, shown(body.data, expected), expected)
        }
      }
    }, 120_000)
  }

  it('year-filtered amount, 人次 and people carry 同比 against the same months of the year before, from the raw rows', async () => {
    const lastYear = { year: String(Number(year) - 1), project }
    for (const [metric, select] of [
      ['payments.total', 'sum(toFloat64(amount_paid)) AS v'],
      ['payments.count', 'count() AS v'],
      ['payments.persons', 'uniqExact(id_number) AS v'],
    ] as const) {
      const panel = dashboards.payments.panels.find((p) => p.metric === metric)!
      const body = (await askPanel(panel, { year, project })).body.data as { value: number; note?: string }
      const before = Number((await paid(lastYear, select))[0].v)
      expect(before, metric).toBeGreaterThan(0)
      const change = ((body.value - before) / before) * 100
      expect(body.note, metric).toBe(`同比 ${change >= 0 ? '+' : ''}${change.toFixed(1)}%`)
    }
    // the year's trend carries the same months a year earlier
    const trend = dashboards.overview.panels.find((p) => p.metric === 'payments.byMonth')!
    const data = (await askPanel(trend, { year })).body.data
    if (data.kind !== 'series') throw new Error('series expected')
    const lastYearSeries = data.series.find((s) => s.name === '上年同期金额')!
    const before = Number((await paid({ year: String(Number(year) - 1) }, 'sum(toFloat64(amount_paid)) AS v'))[0].v)
    expect(lastYearSeries.values.reduce((a, b) => a + b, 0)).toBeCloseTo(before, 1)
  })

  it('a filter changes what a filtered panel shows (the test data can tell filtered from unfiltered)', async () => {
    const panel = dashboards.payments.panels.find((p) => p.metric === 'payments.total')!
    const all = (await askPanel(panel, {})).body.data
    for (const filters of [{ year }, { project }, { dept }]) {
      const filtered = (await askPanel(panel, filters)).body.data
      expect(filtered.kind === 'value' && all.kind === 'value' && filtered.value < all.value && filtered.value > 0, JSON.stringify(filters)).toBe(true)
    }
  })
})
