import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CITY_CODE, childrenOf } from '../../geo/regions'
import type { Db } from '../db/client'
import { migrate, readMigrations } from '../db/migrate'
import { openDb } from '../db/client'
import { makeTempDir } from '../testing/tempDb'
import { runMetric } from './registry'

// Age at a payment = full years (周岁) on the Beijing pay day. Payments are planted on both sides of
// birthdays (the day before, the day itself, 29 February births, the minutes around Beijing
// midnight) and at random; the expected bands come from a plain month/day comparison in
// JavaScript, not from ClickHouse. The rows are stored under the old schema (calendar-year age)
// and migration 031 is applied afterwards, so an existing data directory is corrected too.
let db: Db

/** Full years from birth (YYYY-MM-DD) to a Beijing day (YYYY-MM-DD). */
function fullYears(birth: string, day: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number]
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return y - by - (m * 100 + d < bm * 100 + bd ? 1 : 0)
}

const county = childrenOf(CITY_CODE)[0]!
const town = childrenOf(county.code)[0]!
const village = childrenOf(town.code)[0]!

interface Planted { birth: string; payTime: string; gender: '男' | '女' }

const edges: Planted[] = [
  { birth: '1960-05-10', payTime: '2020-05-09 23:59:00', gender: '男' }, // 59
  { birth: '1960-05-10', payTime: '2020-05-10 00:00:00', gender: '男' }, // 60
  { birth: '1972-02-29', payTime: '2022-02-28 12:00:00', gender: '女' }, // 49: no 29th this year
  { birth: '1972-02-29', payTime: '2022-03-01 00:10:00', gender: '女' }, // 50
  { birth: '1944-12-31', payTime: '2024-12-30 08:00:00', gender: '女' }, // 79
  { birth: '1944-12-31', payTime: '2024-12-31 08:00:00', gender: '女' }, // 80
  { birth: '2014-01-01', payTime: '2023-12-31 23:30:00', gender: '男' }, // 9
]

function random(seed: number): () => number {
  let state = seed
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648)
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

function plantedAtRandom(count: number): Planted[] {
  const next = random(17)
  return Array.from({ length: count }, () => {
    const pay = new Date(Date.UTC(2018, 0, 1) + Math.floor(next() * 7 * 365) * 86_400_000)
    const birthYear = pay.getUTCFullYear() - 1 - Math.floor(next() * 99)
    const birth = `${birthYear}-${pad(1 + Math.floor(next() * 12))}-${pad(1 + Math.floor(next() * 28))}`
    const day = pay.toISOString().slice(0, 10)
    return { birth, payTime: `${day} ${pad(Math.floor(next() * 24))}:30:00`, gender: next() < 0.5 ? '男' : '女' }
  })
}

const planted = [...edges, ...plantedAtRandom(600)]

beforeAll(async () => {
  db = await openDb({ database: 'ykt', dataDir: makeTempDir() })
  await migrate(db, readMigrations().filter((migration) => migration.version < 31))
  await db.client.insert({
    table: 'payment_detail',
    format: 'JSONEachRow',
    values: planted.map((row, index) => ({
      detail_id: `a${index}`, period: Number(row.payTime.slice(0, 4) + row.payTime.slice(5, 7)), project_code: 'P01', dept: '民政',
      county_code: county.code, town_code: town.code, village_code: village.code, id_number: `id-${index}`,
      gender: row.gender, birth_date: row.birth, amount_paid: 1, pay_time: row.payTime, status: '成功', fund_level: '中央',
    })),
  })
  await migrate(db)
}, 60_000)

afterAll(async () => {
  await db?.close()
})

describe('age in full years on the pay day', () => {
  it('every stored age equals the independent computation', async () => {
    const result = await db.client.query({ query: 'SELECT detail_id, age_years FROM payment_detail', format: 'JSONEachRow' })
    const stored = new Map((await result.json<{ detail_id: string; age_years: number }>()).map((row) => [row.detail_id, Number(row.age_years)]))
    planted.forEach((row, index) => expect([index, stored.get(`a${index}`)]).toEqual([index, fullYears(row.birth, row.payTime.slice(0, 10))]))
    expect(edges.map((_, index) => stored.get(`a${index}`))).toEqual([59, 60, 49, 50, 79, 80, 9])
  })

  it('the pyramid counts each payment in the band of its full-year age', async () => {
    const expected = { 男: Array(10).fill(0), 女: Array(10).fill(0) }
    for (const row of planted) expected[row.gender][Math.min(Math.floor(fullYears(row.birth, row.payTime.slice(0, 10)) / 10), 9)] += 1
    for (const region of [CITY_CODE, county.code, town.code]) {
      const data = await runMetric(db, 'payments.byAgeBand', { region })
      if (data.kind !== 'series') throw new Error('series expected')
      expect(data.series).toEqual([
        { name: '男', values: expected.男 },
        { name: '女', values: expected.女 },
      ])
    }
  })
})
