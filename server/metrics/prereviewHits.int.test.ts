import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CITY_CODE, childrenOf } from '../../geo/regions'
import type { Db } from '../db/client'
import { seedDatabase } from '../simulate/seed'
import { PREREVIEW_RATE } from '../simulate/payments'
import { openTempDb } from '../testing/tempDb'
import { runMetric } from './registry'

// 拦截问题数据 on the wall: the generator stops ~0.7 % of records at pre-review (28 万 of 3985 万);
// the figure must count each such record once, and the counties and their towns must add up to
// the city.
let db: Db

async function hits(region: string): Promise<number> {
  const data = await runMetric(db, 'payments.prereviewHits', { region })
  if (data.kind !== 'value') throw new Error('value expected')
  return Number(data.value)
}

async function independent(condition: string, params: Record<string, unknown> = {}): Promise<number> {
  const result = await db.client.query({
    query: `SELECT countIf(length(prereview_hits) > 0) AS n FROM payment_detail WHERE ${condition}`,
    query_params: params,
    format: 'JSONEachRow',
  })
  return Number((await result.json<{ n: string }>())[0]!.n)
}

beforeAll(async () => {
  db = await openTempDb()
  await seedDatabase(db, { scale: 40_000, seed: 5 })
}, 300_000)
afterAll(async () => db?.close())

describe('payments.prereviewHits (拦截问题数据)', () => {
  it('counts the records the pre-review checks stopped, at the article rate, city = sum of counties = sum of towns', async () => {
    const city = await hits(CITY_CODE)
    const total = await independent('1')
    expect(city).toBe(total)
    const all = Number((await (await db.client.query({ query: 'SELECT count() AS n FROM payment_detail', format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n)
    // 0.7 % of clean first attempts: between half and one and a half times the article's share
    expect(city / all).toBeGreaterThan(PREREVIEW_RATE * 0.5)
    expect(city / all).toBeLessThan(PREREVIEW_RATE * 1.5)
    let counties = 0
    for (const county of childrenOf(CITY_CODE)) {
      const value = await hits(county.code)
      expect(value, county.code).toBe(await independent('county_code = {c:String}', { c: county.code }))
      let towns = 0
      for (const town of childrenOf(county.code)) towns += await hits(town.code)
      expect(towns, county.code).toBe(value)
      counties += value
    }
    expect(counties).toBe(city)
  })

  it('refuses a village (the figure stops at towns)', async () => {
    const village = childrenOf(childrenOf(childrenOf(CITY_CODE)[0]!.code)[0]!.code)[0]!.code
    await expect(runMetric(db, 'payments.prereviewHits', { region: village })).rejects.toThrow()
  })
})
