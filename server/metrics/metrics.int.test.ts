import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTempDb } from '../testing/tempDb'
import type { Db } from '../db/client'
import { metricRegistry, MetricParamsError, runMetric } from './registry'
import { A1, A2, B1, C1, C2, FIXTURE_DAY, loadFixture, T1 } from './test/fixture'
import { briefingEvent, briefingFigures } from '../notify/briefing'

// Expected numbers are worked out by hand from test/fixture.ts: successful payments are
// d1 500, d2 500, d3 300, d4 1000, d6 800, d9 400, d10 600 (7 payments, 4100 yuan, persons p1–p4).
let db: Db

beforeAll(async () => {
  db = await openTempDb()
  await loadFixture(db)
})
afterAll(async () => {
  await db?.close()
})

const CITY = '511000'

describe('payment totals', () => {
  it('sums successful payments of the city, a county, a town and a village', async () => {
    expect(await runMetric(db, 'payments.total', { region: CITY })).toEqual({ kind: 'value', value: 4100 })
    expect(await runMetric(db, 'payments.count', { region: CITY })).toEqual({ kind: 'value', value: 7 })
    expect(await runMetric(db, 'payments.persons', { region: CITY })).toEqual({ kind: 'value', value: 4 })
    expect(await runMetric(db, 'payments.total', { region: C2 })).toEqual({ kind: 'value', value: 2400 })
    expect(await runMetric(db, 'payments.total', { region: T1 })).toEqual({ kind: 'value', value: 1700 })
    expect(await runMetric(db, 'payments.persons', { region: A1 })).toEqual({ kind: 'value', value: 1 })
  })

  it('filters by pay months and project', async () => {
    expect(await runMetric(db, 'payments.total', { region: CITY, from: 202404, to: 202404 })).toEqual({ kind: 'value', value: 2600, note: '同比 上年同期无发放' })
    expect(await runMetric(db, 'payments.total', { region: CITY, project: 'P20' })).toEqual({ kind: 'value', value: 2400 })
  })

  it('counts today by hour', async () => {
    expect(await runMetric(db, 'payments.todayAmount', { region: CITY, day: FIXTURE_DAY })).toEqual({ kind: 'value', value: 1000 })
    expect(await runMetric(db, 'payments.todayCount', { region: T1, day: FIXTURE_DAY })).toEqual({ kind: 'value', value: 1 })
    const byHour = await runMetric(db, 'payments.byHour', { region: CITY, day: FIXTURE_DAY })
    if (byHour.kind !== 'series') throw new Error('series expected')
    expect(byHour.categories).toHaveLength(24)
    expect(byHour.series[0].values[9]).toBe(400)
    expect(byHour.series[0].values[14]).toBe(600)
    expect(byHour.series[0].values.reduce((a, b) => a + b, 0)).toBe(1000)
  })
})

describe('payment quality', () => {
  it('rates success over settled payments and counts open failures', async () => {
    // 7 成功 of 9 settled (2 失败; 在途 not settled)
    expect(await runMetric(db, 'payments.successRate', { region: CITY })).toEqual({ kind: 'value', value: 77.78 })
    // a month with no settled payment has no rate: not 100 %, which would vouch for payments never made
    expect(await runMetric(db, 'payments.successRate', { region: CITY, from: 201801, to: 201801 })).toEqual({ kind: 'notApplicable', reason: '尚无已结算的发放' })
    // d5 re-issued by d6, d7 still open
    expect(await runMetric(db, 'payments.failedOpen', { region: CITY })).toEqual({ kind: 'value', value: 1 })
    expect(await runMetric(db, 'payments.failedOpen', { region: C2 })).toEqual({ kind: 'value', value: 0 })
    expect(await runMetric(db, 'payments.byStatus', { region: CITY })).toEqual({
      kind: 'series',
      categories: ['成功', '失败', '退回', '在途'],
      series: [
        { name: '笔数', values: [7, 2, 0, 1] },
        { name: '金额', values: [4100, 1000, 0, 100] },
      ],
    })
  })
})

describe('child regions', () => {
  it('breaks the city into its five counties', async () => {
    const data = await runMetric(db, 'payments.byChildRegion', { region: CITY })
    if (data.kind !== 'regions') throw new Error('regions expected')
    expect(data.rows.map((row) => row.code)).toEqual(['511002', '511011', '511024', '511025', '511083'])
    expect(data.rows[0]).toEqual({ code: C1, name: '市中区', value: 1700, extra: { count: 4, persons: 2 } })
    expect(data.rows[1]).toEqual({ code: C2, name: '东兴区', value: 2400, extra: { count: 3, persons: 2 } })
    expect(data.rows.slice(2).every((row) => row.value === 0)).toBe(true)
  })

  it('breaks a county into towns and a town into villages', async () => {
    const county = await runMetric(db, 'payments.byChildRegion', { region: C1 })
    if (county.kind !== 'regions') throw new Error('regions expected')
    expect(county.rows.find((row) => row.code === T1)?.value).toBe(1700)
    expect(county.rows.reduce((sum, row) => sum + row.value, 0)).toBe(1700)
    const town = await runMetric(db, 'payments.byChildRegion', { region: T1 })
    if (town.kind !== 'regions') throw new Error('regions expected')
    expect(town.rows.find((row) => row.code === A1)).toMatchObject({ value: 1400, extra: { count: 3, persons: 1 } })
    expect(town.rows.find((row) => row.code === A2)).toMatchObject({ value: 300, extra: { count: 1, persons: 1 } })
  })

  it('ranks villages', async () => {
    const data = await runMetric(db, 'payments.topVillages', { region: CITY, limit: 2 })
    if (data.kind !== 'table') throw new Error('table expected')
    expect(data.rows).toEqual([
      { rank: 1, village: '长江社区居委会', town: '田家镇', amount: 2400, count: 3, persons: 2 },
      { rank: 2, village: '河坝街居委会', town: '城东街道', amount: 1400, count: 3, persons: 1 },
    ])
    expect(B1).toBe('511011100001')
  })
})

describe('series', () => {
  it('gives the last N months with empty months as zero', async () => {
    expect(await runMetric(db, 'payments.byMonth', { region: CITY, to: 202405, months: 4 })).toEqual({
      kind: 'series',
      categories: ['2024-02', '2024-03', '2024-04', '2024-05'],
      series: [
        { name: '金额', values: [0, 500, 2600, 1000] },
        { name: '人次', values: [0, 1, 4, 2] },
        { name: '上年同期金额', values: [0, 0, 0, 0] },
      ],
    })
    expect(await runMetric(db, 'payments.byYear', { region: C1 })).toEqual({
      kind: 'series',
      categories: ['2024年'],
      series: [
        { name: '金额', values: [1700] },
        { name: '人次', values: [4] },
        { name: '人数', values: [2] },
      ],
    })
  })

  it('splits payments into 10-year age bands by gender', async () => {
    const data = await runMetric(db, 'payments.byAgeBand', { region: CITY })
    if (data.kind !== 'series') throw new Error('series expected')
    expect(data.categories[0]).toBe('0-9岁')
    expect(data.categories[9]).toBe('90岁以上')
    // ages by calendar year at pay time: p1 74, p2 34, p3 14, p4 39
    expect(data.series).toEqual([
      { name: '男', values: [0, 2, 0, 0, 0, 0, 0, 3, 0, 0] },
      { name: '女', values: [0, 0, 0, 2, 0, 0, 0, 0, 0, 0] },
    ])
    const persons = await runMetric(db, 'payments.byAgeBand', { region: T1, measure: 'persons' })
    if (persons.kind !== 'series') throw new Error('series expected')
    expect(persons.series.map((s) => s.values.reduce((a, b) => a + b, 0))).toEqual([1, 1])
  })

  it('ranks projects, departments and banks', async () => {
    expect(await runMetric(db, 'payments.byProject', { region: CITY, limit: 5 })).toEqual({
      kind: 'series',
      categories: ['重度残疾人护理补贴', '城市居民最低生活保障金'],
      series: [
        { name: '金额', values: [2400, 1700] },
        { name: '人次', values: [3, 4] },
      ],
    })
    const byDept = await runMetric(db, 'payments.byDept', { region: CITY })
    expect(byDept).toMatchObject({ categories: ['残联', '民政'], series: [{ values: [2400, 1700] }, { values: [3, 4] }] })
    const byBank = await runMetric(db, 'payments.byBank', { region: CITY })
    expect(byBank).toMatchObject({ categories: ['农业银行', '邮储银行'], series: [{ values: [3800, 300] }, { values: [6, 1] }] })
  })
})

describe('budget', () => {
  // Issued: I1 100000 (市中区, 民政), I2 50000 (东兴区, 残联); I3 20000 only allocated.
  // Paid against vouchers: V1 1700, V2 2400.
  it('follows the chain from allocation to cards', async () => {
    expect(await runMetric(db, 'budget.chain', { region: CITY })).toEqual({
      kind: 'funnel',
      stages: [
        { name: '指标分配', value: 170000 },
        { name: '指标下达', value: 150000 },
        { name: '用款计划', value: 9000 },
        { name: '支付凭证', value: 5600 },
        { name: '支付明细', value: 4100 },
      ],
    })
  })

  it('compares the execution rate with 序时进度', async () => {
    // 2024 is a leap year: 1 Jan – 1 Jul inclusive is 183 of 366 days
    expect(await runMetric(db, 'budget.executionRate', { region: CITY, day: '2024-07-01' })).toEqual({
      kind: 'value',
      value: 2.73,
      compare: { label: '序时进度', value: 50 },
    })
    expect(await runMetric(db, 'budget.executionRate', { region: C1, day: '2024-12-31' })).toEqual({
      kind: 'value',
      value: 1.7,
      compare: { label: '序时进度', value: 100 },
    })
    // A county with nothing issued (威远县 has no indicator in the fixture): not 0 %, which reads as
    // money issued and not spent, but why there is no rate; the daily briefing says the same.
    const NO_BUDGET = '511024'
    for (const name of ['budget.executionRate', 'budget.executionByRegion']) {
      expect(await runMetric(db, name, { region: NO_BUDGET, day: '2024-07-01' }), name).toEqual({ kind: 'notApplicable', reason: '本年度尚无下达指标' })
    }
    const briefing = briefingEvent(NO_BUDGET, '2024-07-01', await briefingFigures(db, NO_BUDGET, '2024-07-01'))
    expect(briefing.text).toContain('预算执行：本年度尚无下达指标；')
    expect(briefing.figures).toContainEqual({ label: '预算执行率', value: '本年度尚无下达指标' })
    // Budget is held per county: a town or village has none of its own, and never shows its county's.
    for (const name of ['budget.executionRate', 'budget.executionByRegion', 'budget.executionByDept', 'budget.chain', 'budget.idleFunds']) {
      for (const region of [T1, A1]) await expect(runMetric(db, name, { region }), `${name} ${region}`).rejects.toThrow(/没有自己的预算数/)
    }
    const byRegion = await runMetric(db, 'budget.executionByRegion', { region: CITY })
    if (byRegion.kind !== 'regions') throw new Error('regions expected')
    expect(byRegion.rows.slice(0, 2)).toEqual([
      { code: C1, name: '市中区', value: 1.7, extra: { issued: 100000, paid: 1700 } },
      { code: C2, name: '东兴区', value: 4.8, extra: { issued: 50000, paid: 2400 } },
    ])
    // Among counties with budget, 威远县 (nothing issued) has no rate: not a 0 % bar in alarm.
    expect(byRegion.rows.find((r) => r.code === NO_BUDGET)).toEqual({ code: NO_BUDGET, name: '威远县', value: 0, note: '无下达指标', extra: { issued: 0, paid: 0 } })
    expect(byRegion.rows.filter((r) => r.note === undefined).map((r) => r.code)).toEqual([C1, C2])
    // the fixture's year 2024 is over: 序时进度 100 % is the line the bars are read against
    expect(byRegion.reference).toEqual({ label: '序时进度', value: 100 })
    expect(await runMetric(db, 'budget.executionByDept', { region: CITY, day: '2024-07-01' })).toEqual({
      kind: 'series',
      reference: { label: '序时进度', value: 50 },
      categories: ['残联', '民政'],
      series: [
        { name: '执行率', values: [4.8, 1.7] },
        { name: '下达', values: [50000, 100000] },
        { name: '支付', values: [2400, 1700] },
      ],
    })
  })

  it('gives a department with nothing issued no rate (a gap, not a red 0 %), and says so when no department has any', async () => {
    // fiscal year 2025, apart from the fixture's 2024: 教育 issued and has paid nothing yet (a real
    // 0 %), 卫健 only allocated
    const indicator = (id: string, dept: string, issued: string | null) => ({
      indicator_id: id, doc_no: `内财社〔2025〕${id}号`, fiscal_year: 2025, county_code: C2, dept, project_code: 'P20', fund_level: '省', amount: 1000, allocated_date: '2025-01-15', issued_date: issued,
    })
    await db.client.insert({ table: 'budget_indicator', format: 'JSONEachRow', values: [indicator('Y1', '教育', '2025-02-01'), indicator('Y2', '卫健', null)] })
    try {
      const byDept = await runMetric(db, 'budget.executionByDept', { region: CITY, day: '2025-07-01' })
      if (byDept.kind !== 'series') throw new Error('series expected')
      const rates = byDept.series.find((s) => s.name === '执行率')!
      expect(rates.values).toEqual([0, 0])
      expect(rates.gaps).toEqual([byDept.categories.indexOf('卫健')])
      await db.client.command({ query: "DELETE FROM budget_indicator WHERE indicator_id = 'Y1'" })
      expect(await runMetric(db, 'budget.executionByDept', { region: CITY, day: '2025-07-01' })).toEqual({ kind: 'notApplicable', reason: '本年度尚无下达指标' })
    } finally {
      await db.client.command({ query: "DELETE FROM budget_indicator WHERE fiscal_year = 2025" })
    }
  })

  it('counts idle money on cleared vouchers past the grace days', async () => {
    // V1 2000 − 1700 and V2 2600 − 2400; V3 is not cleared
    expect(await runMetric(db, 'budget.idleFunds', { region: CITY, day: FIXTURE_DAY })).toEqual({ kind: 'value', value: 500 })
    expect(await runMetric(db, 'budget.idleFunds', { region: C1, day: FIXTURE_DAY })).toEqual({ kind: 'value', value: 300 })
    // V2 was paid to the bank on 2024-04-01: not idle yet two days later
    expect(await runMetric(db, 'budget.idleFunds', { region: C2, day: '2024-04-03' })).toEqual({ kind: 'value', value: 0 })
  })
})

describe('parameters', () => {
  it('refuses unknown regions, bad months and village + project', async () => {
    await expect(runMetric(db, 'payments.total', { region: '999999' })).rejects.toThrow(MetricParamsError)
    await expect(runMetric(db, 'payments.total', { region: CITY, from: 202413 })).rejects.toThrow(/YYYYMM/)
    await expect(runMetric(db, 'payments.total', { region: A1, project: 'P01' })).rejects.toThrow(/项目/)
    await expect(runMetric(db, 'payments.byBank', { region: A1 })).rejects.toThrow(/乡镇/)
    await expect(runMetric(db, 'payments.nope', { region: CITY })).rejects.toThrow(/unknown metric/)
  })

  it('registers every payments and budget metric the wall names', () => {
    for (const name of ['payments.total', 'payments.byChildRegion', 'payments.byAgeBand', 'budget.chain', 'budget.idleFunds'])
      expect(metricRegistry.has(name)).toBe(true)
  })
})
