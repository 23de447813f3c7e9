import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CITY_CODE, childrenOf } from '../../geo/regions'
import type { Db } from '../db/client'
import { migrate, readMigrations } from '../db/migrate'
import { openDb } from '../db/client'
import { makeTempDir } from '../testing/tempDb'
import { runMetric } from './registry'

// 惠及群众 is a distinct count (DOMAIN.md: 人 = distinct people). `uniq` states are exact only up to
// 65,536 hashes, so this data set puts ~90,000 people in the city: an estimate is then (almost
// surely) off, and the city would show more than its counties together. The data is written under
// the schema before migration 030 and the migration is applied afterwards, so the test also shows
// that an existing data directory is upgraded (its rollups rebuilt from the facts).
const PEOPLE = 90_000
let db: Db

const counties = childrenOf(CITY_CODE)
// Two towns per county, the first village of each: a person's home is fixed by their number.
const places = counties.flatMap((county) =>
  childrenOf(county.code).slice(0, 2).map((town) => [county.code, town.code, childrenOf(town.code)[0]!.code]),
)

async function exact(condition: string, params: Record<string, unknown> = {}): Promise<number> {
  const result = await db.client.query({
    query: `SELECT uniqExact(id_number) AS n FROM payment_detail WHERE status = '成功' AND ${condition}`,
    query_params: params,
    format: 'JSONEachRow',
  })
  return Number((await result.json<{ n: string }>())[0]!.n)
}

async function persons(params: Record<string, unknown>): Promise<number> {
  const data = await runMetric(db, 'payments.persons', params)
  if (data.kind !== 'value') throw new Error('value expected')
  return Number(data.value)
}

beforeAll(async () => {
  db = await openDb({ database: 'ykt', dataDir: makeTempDir() })
  await migrate(db, readMigrations().filter((migration) => migration.version < 30))
  // Person n is paid at home in two months; every 7th also once in the next place (another town or
  // county: counted once by the city); every 11th payment failed (not a beneficiary by that row).
  await db.client.command({
    query: `INSERT INTO payment_detail (detail_id, period, project_code, dept, county_code, town_code, village_code,
              id_number, gender, birth_date, amount_paid, pay_time, status, fund_level)
            SELECT concat('d', toString(number)) AS detail_id, 202403 + k AS period, 'P01', '民政',
                   place[1], place[2], place[3],
                   concat('id-', toString(person)), '男', toDate32('1950-01-01'), 100,
                   toDateTime('2024-03-10 10:00:00', 'Asia/Shanghai') + toIntervalMonth(k),
                   if(number % 11 = 0, '失败', '成功'), '中央'
            FROM (SELECT number, intDiv(number, 3) AS person, number % 3 AS k,
                         {places:Array(Array(String))}[(person + if(k = 2, 1, 0)) % length({places:Array(Array(String))}) + 1] AS place
                  FROM numbers({rows:UInt32}) WHERE k < 2 OR person % 7 = 0)`,
    query_params: { places, rows: PEOPLE * 3 },
  })
  await migrate(db)
}, 120_000)

afterAll(async () => {
  await db?.close()
})

describe('惠及群众 is an exact distinct count at every level', () => {
  it('the city equals the distinct people paid, and never exceeds its counties together', async () => {
    const city = await persons({ region: CITY_CODE })
    expect(city).toBeGreaterThan(65_536)
    expect(city).toBe(await exact('1'))
    let counties_ = 0
    for (const county of counties) {
      const value = await persons({ region: county.code })
      expect(value).toBe(await exact('county_code = {c:String}', { c: county.code }))
      counties_ += value
    }
    // People paid in two counties count once in the city.
    expect(city).toBeLessThan(counties_)
  })

  it('every town with payments equals its exact count', async () => {
    for (const [, town] of places) expect(await persons({ region: town })).toBe(await exact('town_code = {t:String}', { t: town }))
  })

  it('the monthly states are exact too (a month range, the map children, the yearly bars)', async () => {
    expect(await persons({ region: CITY_CODE, from: 202404, to: 202404 })).toBe(
      await exact("toStartOfMonth(pay_time) = '2024-04-01'"),
    )
    const children = await runMetric(db, 'payments.byChildRegion', { region: CITY_CODE, from: 202403, to: 202405 })
    if (children.kind !== 'regions') throw new Error('regions expected')
    for (const row of children.rows) expect(row.extra?.persons).toBe(await exact('county_code = {c:String}', { c: row.code }))
    const years = await runMetric(db, 'payments.byYear', { region: CITY_CODE })
    if (years.kind !== 'series') throw new Error('series expected')
    expect(years.series.find((series) => series.name === '人数')?.values).toEqual([await exact('1')])
  })
})
