import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CITY_CODE, childrenOf, getRegion, regionsAtLevel } from '../../geo/regions'
import { openDb, type Db } from '../db/client'
import { migrate, readMigrations } from '../db/migrate'
import { makeTempDir } from '../testing/tempDb'

/**
 * Migration 094 folds the six region-keyed rollups into two (agg_region_payments, agg_region_people),
 * each written by one view, and keeps the six old names as plain views of one grain each. A data
 * directory written before it is upgraded in place with every figure unchanged, and rows stored
 * afterwards reach every grain as the facts say. Migration 095 has both views aggregate a block
 * before they spread it over the regions: the last case feeds them one large block over every
 * village of the city, as a bulk load's replay does.
 */
let db: Db
const county = childrenOf(CITY_CODE)[0]!
const towns = childrenOf(county.code).slice(0, 2)
const villages = towns.map((town) => childrenOf(town.code)[0]!.code)

/** What each old name answers, grouped and merged, per key: the readers' view of the rollups. */
const READS: Record<string, string> = {
  agg_region_month: 'SELECT region_code, month, toString(status) AS status, sum(payments) AS payments, toString(sum(amount_paid)) AS amount, toString(max(newest_time)) AS newest FROM agg_region_month GROUP BY ALL ORDER BY ALL',
  agg_region_project_month: 'SELECT region_code, month, project_code, dept, sum(payments) AS payments, toString(sum(amount_paid)) AS amount FROM agg_region_project_month GROUP BY ALL ORDER BY ALL',
  agg_region_bank_month: 'SELECT region_code, month, bank, sum(payments) AS payments, toString(sum(amount_paid)) AS amount FROM agg_region_bank_month GROUP BY ALL ORDER BY ALL',
  agg_region_persons: 'SELECT region_code, uniqExactMerge(persons) AS persons FROM agg_region_persons GROUP BY ALL ORDER BY ALL',
  agg_region_persons_year: 'SELECT region_code, year, uniqExactMerge(persons) AS persons FROM agg_region_persons_year GROUP BY ALL ORDER BY ALL',
  agg_region_age_persons: 'SELECT region_code, age_band, toString(gender) AS gender, uniqExactMerge(persons) AS persons FROM agg_region_age_persons GROUP BY ALL ORDER BY ALL',
}

/** The same figures straight from the facts (the regions each grain is kept for, as before 094). */
const LEVELS4 = "arrayJoin(['511000', county_code, town_code, village_code])"
const LEVELS3 = "arrayJoin(['511000', county_code, town_code])"
const PAID = "status = '成功'"
const FROM_FACTS: Record<string, string> = {
  agg_region_month: `SELECT ${LEVELS4} AS region_code, toStartOfMonth(pay_time) AS month, toString(status) AS status, count() AS payments, toString(sum(toDecimal128(amount_paid, 2))) AS amount, toString(max(pay_time)) AS newest FROM payment_detail GROUP BY ALL ORDER BY ALL`,
  agg_region_project_month: `SELECT ${LEVELS3} AS region_code, toStartOfMonth(pay_time) AS month, project_code, dept, count() AS payments, toString(sum(toDecimal128(amount_paid, 2))) AS amount FROM payment_detail WHERE ${PAID} GROUP BY ALL ORDER BY ALL`,
  agg_region_bank_month: `SELECT ${LEVELS3} AS region_code, toStartOfMonth(pay_time) AS month, bank, count() AS payments, toString(sum(toDecimal128(amount_paid, 2))) AS amount FROM payment_detail WHERE ${PAID} GROUP BY ALL ORDER BY ALL`,
  agg_region_persons: `SELECT ${LEVELS4} AS region_code, uniqExact(id_number) AS persons FROM payment_detail WHERE ${PAID} GROUP BY ALL ORDER BY ALL`,
  agg_region_persons_year: `SELECT ${LEVELS4} AS region_code, toYear(pay_time) AS year, uniqExact(id_number) AS persons FROM payment_detail WHERE ${PAID} GROUP BY ALL ORDER BY ALL`,
  agg_region_age_persons: `SELECT ${LEVELS3} AS region_code, toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, toString(gender) AS gender, uniqExact(id_number) AS persons FROM payment_detail WHERE ${PAID} GROUP BY ALL ORDER BY ALL`,
}

async function rows<T = Record<string, unknown>>(query: string): Promise<T[]> {
  return (await db.client.query({ query, format: 'JSONEachRow' })).json<T>()
}

async function readAll(reads: Record<string, string>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const [name, query] of Object.entries(reads)) out[name] = await rows(query)
  return out
}

/**
 * `count` payments from number `from`: people paid in several months and years, in two towns and
 * villages, across statuses (成功, 失败, 退回, 在途), projects, departments, banks, ages and genders.
 */
async function insertPayments(from: number, count: number): Promise<void> {
  await db.client.command({
    query: `INSERT INTO payment_detail (detail_id, period, project_code, dept, county_code, town_code, village_code,
              id_number, gender, birth_date, amount_paid, pay_time, status, fund_level, bank)
            SELECT concat('m', toString(number)), 202311 + number % 3, ['P01', 'P07', 'P20'][number % 3 + 1], ['民政', '农业农村', '人社'][number % 3 + 1],
                   {county:String}, [{town0:String}, {town1:String}][number % 2 + 1], [{village0:String}, {village1:String}][number % 2 + 1],
                   concat('5110251950', leftPad(toString(intDiv(number, 3) % 997), 8, '0')), ['男', '女'][intDiv(number, 3) % 2 + 1],
                   toDate32('1940-01-01') + toIntervalDay(intDiv(number, 3) * 53 % 25000), 100 + number % 7,
                   toDateTime('2023-11-20 10:00:00', 'Asia/Shanghai') + toIntervalDay(number % 75),
                   ['成功', '成功', '成功', '失败', '退回', '在途'][number % 6 + 1], '中央', ['农业银行', '农商银行'][number % 2 + 1]
            FROM numbers({from:UInt32}, {count:UInt32})`,
    query_params: { from, count, county: county.code, town0: towns[0]!.code, town1: towns[1]!.code, village0: villages[0]!, village1: villages[1]! },
  })
}

beforeAll(async () => {
  db = await openDb({ database: 'ykt', dataDir: makeTempDir() })
  await migrate(db, readMigrations().filter((migration) => migration.version < 94))
  await insertPayments(0, 3000)
}, 120_000)

afterAll(async () => {
  await db?.close()
})

describe('region rollups folded into two (migration 094)', () => {
  it('upgrades a data directory in place: every old name answers what it answered before, which is what the facts say', async () => {
    const before = await readAll(READS)
    expect(before.agg_region_month!.length).toBeGreaterThan(20)
    await migrate(db)
    const after = await readAll(READS)
    expect(after).toEqual(before)
    expect(after).toEqual(await readAll(FROM_FACTS))
  })

  it('feeds every grain from payments stored after the upgrade, through two views in place of six', async () => {
    const views = await rows<{ name: string }>(
      "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView' AND name LIKE 'mv_region%' ORDER BY name")
    expect(views.map((view) => view.name)).toEqual(['mv_region_payments', 'mv_region_people'])
    const kinds = await rows<{ name: string; engine: string }>(
      "SELECT name, engine FROM system.tables WHERE database = currentDatabase() AND name LIKE 'agg_region%' ORDER BY name")
    expect(Object.fromEntries(kinds.map((table) => [table.name, table.engine]))).toEqual({
      agg_region_age_persons: 'View', agg_region_bank_month: 'View', agg_region_month: 'View', agg_region_payments: 'AggregatingMergeTree',
      agg_region_people: 'AggregatingMergeTree', agg_region_persons: 'View', agg_region_persons_year: 'View', agg_region_project_month: 'View',
    })
    const before = await readAll(READS)
    await insertPayments(3000, 600)
    const after = await readAll(READS)
    expect(after.agg_region_month).not.toEqual(before.agg_region_month)
    expect(after).toEqual(await readAll(FROM_FACTS))
  })

  it('aggregates one large block over every village before spreading it (095): every grain still equals the facts', async () => {
    const everyVillage = regionsAtLevel('village')
    const villageTown = everyVillage.map((village) => village.parent!)
    const townCounty = villageTown.map((town) => getRegion(town)!.parent!)
    // Each person (number / 5) is paid in two villages, several years and statuses: sets merged across villages must not count them twice.
    await db.client.command({
      query: `INSERT INTO payment_detail (detail_id, period, project_code, dept, county_code, town_code, village_code,
                id_number, gender, birth_date, amount_paid, pay_time, status, fund_level, bank)
              SELECT concat('big', toString(number)), 202101, ['P01', 'P07', 'P20', 'P31'][number % 4 + 1], ['民政', '农业农村', '人社', '财政'][number % 4 + 1],
                     {counties:Array(String)}[v + 1], {towns:Array(String)}[v + 1], {villages:Array(String)}[v + 1],
                     concat('5110251960', leftPad(toString(intDiv(number, 5)), 8, '0')), ['男', '女'][number % 2 + 1],
                     toDate32('1930-01-01') + toIntervalDay(intDiv(number, 5) * 97 % 30000), 10 + number % 13,
                     toDateTime('2019-01-01 08:00:00', 'Asia/Shanghai') + toIntervalHour(number * 7 % 40000),
                     ['成功', '成功', '失败', '成功', '退回', '在途', '成功'][number % 7 + 1], '省', ['农业银行', '农商银行', '邮储银行'][number % 3 + 1]
              FROM (SELECT number, (intDiv(number, 5) * 31 + number % 2 * 7) % length({villages:Array(String)}) AS v FROM numbers(30000))`,
      query_params: { villages: everyVillage.map((village) => village.code), towns: villageTown, counties: townCounty },
    })
    const after = await readAll(READS)
    expect(new Set((after.agg_region_month as { region_code: string }[]).map((row) => row.region_code)).size).toBeGreaterThan(everyVillage.length)
    expect(after).toEqual(await readAll(FROM_FACTS))
  }, 120_000)
})
