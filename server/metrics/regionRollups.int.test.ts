import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTempDb } from '../testing/tempDb'
import type { Db } from '../db/client'
import { countingDb } from '../live/countingDb'
import { runMetric } from './registry'
import { withQueryCache } from './sql/query'
import { A1, A2, B1, C1, C2, detailRow, FIXTURE_DAY, insertDetails, loadFixture, T1 } from './test/fixture'

// The region-keyed rollups of migration 007, checked against test/fixture.ts by hand. Paid (成功):
// d1 500 (A1, 2024-03), d2 500 (A1, 04), d3 300 (A2, 04), d4 1000 (B1, 04), d6 800 (B1, 04),
// d9 400 (A1, 05), d10 600 (B1, 05); failed d5 800 (B1), d7 200 (A1); 在途 d8 100 (A2).
let db: Db

beforeAll(async () => {
  db = await openTempDb()
  await loadFixture(db)
})
afterAll(async () => {
  await db?.close()
})

const CITY = '511000'

describe('region summary (agg_region_month)', () => {
  it('answers a village as well as the city', async () => {
    expect(await runMetric(db, 'payments.total', { region: A1 })).toEqual({ kind: 'value', value: 1400 })
    expect(await runMetric(db, 'payments.count', { region: A1 })).toEqual({ kind: 'value', value: 3 })
    // 3 成功 of 4 settled (d7 失败)
    expect(await runMetric(db, 'payments.successRate', { region: A1 })).toEqual({ kind: 'value', value: 75 })
    expect(await runMetric(db, 'payments.byStatus', { region: A2 })).toEqual({
      kind: 'series',
      categories: ['成功', '失败', '退回', '在途'],
      series: [
        { name: '笔数', values: [1, 0, 0, 1] },
        { name: '金额', values: [300, 0, 0, 100] },
      ],
    })
    expect(await runMetric(db, 'payments.byMonth', { region: A2, to: 202405, months: 3 })).toEqual({
      kind: 'series',
      categories: ['2024-03', '2024-04', '2024-05'],
      series: [
        { name: '金额', values: [0, 300, 0] },
        { name: '人次', values: [0, 1, 0] },
        { name: '上年同期金额', values: [0, 0, 0] },
      ],
    })
  })

  it('filters months in the summary and projects in the town rollup', async () => {
    expect(await runMetric(db, 'payments.count', { region: C2, from: 202405 })).toEqual({ kind: 'value', value: 1 })
    expect(await runMetric(db, 'payments.successRate', { region: CITY, project: 'P20' })).toEqual({ kind: 'value', value: 75 })
  })
})

describe('persons (agg_region_persons, agg_region_persons_year)', () => {
  it('counts distinct persons per region and per year', async () => {
    expect(await runMetric(db, 'payments.persons', { region: T1 })).toEqual({ kind: 'value', value: 2 })
    expect(await runMetric(db, 'payments.persons', { region: C2 })).toEqual({ kind: 'value', value: 2 })
    expect(await runMetric(db, 'payments.byYear', { region: CITY })).toEqual({
      kind: 'series',
      categories: ['2024年'],
      series: [
        { name: '金额', values: [4100] },
        { name: '人次', values: [7] },
        { name: '人数', values: [4] },
      ],
    })
    expect(await runMetric(db, 'payments.byYear', { region: CITY, project: 'P20' })).toEqual({
      kind: 'series',
      categories: ['2024年'],
      series: [
        { name: '金额', values: [2400] },
        { name: '人次', values: [3] },
        { name: '人数', values: [2] },
      ],
    })
  })

  it('breaks the city into counties within months', async () => {
    const data = await runMetric(db, 'payments.byChildRegion', { region: CITY, from: 202404, to: 202404 })
    if (data.kind !== 'regions') throw new Error('regions expected')
    expect(data.rows.slice(0, 2)).toEqual([
      { code: C1, name: '市中区', value: 800, extra: { count: 2, persons: 2 } },
      { code: C2, name: '东兴区', value: 1800, extra: { count: 2, persons: 2 } },
    ])
  })
})

describe('project, department and bank rollups', () => {
  it('reads a county and a town, within months', async () => {
    expect(await runMetric(db, 'payments.byDept', { region: C2 })).toEqual({
      kind: 'series',
      categories: ['残联'],
      series: [
        { name: '金额', values: [2400] },
        { name: '人次', values: [3] },
      ],
    })
    expect(await runMetric(db, 'payments.byProject', { region: T1, limit: 1 })).toMatchObject({
      categories: ['城市居民最低生活保障金'],
      series: [{ values: [1700] }, { values: [4] }],
    })
    expect(await runMetric(db, 'payments.byBank', { region: CITY, from: 202405, to: 202405 })).toMatchObject({
      categories: ['农业银行'],
      series: [{ values: [1000] }, { values: [2] }],
    })
  })
})

describe('budget chain of a county', () => {
  it('sums the county indicators, issued or not (a town has no budget of its own: refused)', async () => {
    await expect(runMetric(db, 'budget.chain', { region: T1 })).rejects.toThrow(/没有自己的预算数/)
    // 市中区: I1 100000 issued, I3 20000 allocated only; PL1 5000; V1 2000; paid on V1 1700
    expect(await runMetric(db, 'budget.chain', { region: C1 })).toEqual({
      kind: 'funnel',
      stages: [
        { name: '指标分配', value: 120000 },
        { name: '指标下达', value: 100000 },
        { name: '用款计划', value: 5000 },
        { name: '支付凭证', value: 2000 },
        { name: '支付明细', value: 1700 },
      ],
    })
  })
})

describe('query cache', () => {
  it('answers the value panels of a region from one summary query', async () => {
    const counted = countingDb(db)
    const cached = withQueryCache(counted.db)
    for (const metric of ['payments.total', 'payments.count', 'payments.successRate', 'payments.byStatus'])
      await runMetric(cached.db, metric, { region: C1 })
    await runMetric(cached.db, 'payments.byMonth', { region: C1, to: 202405 })
    expect(counted.count()).toBe(1)
    await runMetric(cached.db, 'payments.todayAmount', { region: C1, day: FIXTURE_DAY })
    await runMetric(cached.db, 'payments.todayCount', { region: C1, day: FIXTURE_DAY })
    expect(counted.count()).toBe(2)
    cached.clear()
    expect(await runMetric(cached.db, 'payments.total', { region: C1 })).toEqual({ kind: 'value', value: 1700 })
    expect(counted.count()).toBe(3)
  })
})

describe('new payments', () => {
  it('reach every region-keyed rollup through the views', async () => {
    await insertDetails(db, [
      detailRow({ id: 'd11', person: 'p7', at: B1, project: 'P20', status: '成功', amount: 250, payTime: '2025-01-02 10:00:00', gender: '女', birth: '1970-01-01', bank: '建设银行', voucher: 'V9' }),
    ])
    expect(await runMetric(db, 'payments.total', { region: B1 })).toEqual({ kind: 'value', value: 2650 })
    expect(await runMetric(db, 'payments.persons', { region: CITY })).toEqual({ kind: 'value', value: 5 })
    expect(await runMetric(db, 'payments.byYear', { region: C2 })).toMatchObject({ categories: ['2024年', '2025年'], series: [{ values: [2400, 250] }, { values: [3, 1] }, { values: [2, 1] }] })
    expect(await runMetric(db, 'payments.byBank', { region: C2 })).toMatchObject({ categories: ['农业银行', '建设银行'], series: [{ values: [2400, 250] }, { values: [3, 1] }] })
    expect(await runMetric(db, 'payments.byProject', { region: CITY })).toMatchObject({ series: [{ values: [2650, 1700] }, { values: [4, 4] }] })
  })
})
