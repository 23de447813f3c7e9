import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../app'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { seedDatabase } from './seed'
import { makePaymentBatch, startSimulatedFeed } from './feed'
import { rules } from '../rules/catalog/index'
import { findCases } from '../rules/evaluate'
import { runMetric } from '../metrics/registry'
import { beijingDay } from '../beijingTime'
import { beijingMonthBefore } from '../beijingTime'
import { projectByCode } from '../catalogue'

/** The demo's live feed through the real ingest endpoint: payments land with a chain that adds up. */
describe('simulated feed', () => {
  let app: RunningApp
  beforeAll(async () => {
    app = await startApp(testConfig(makeTempDir()), { rules: false })
    await seedDatabase(app.ctx.db, { scale: 20000, seed: 3, lastPeriod: beijingMonthBefore() })
    before = await caseKeys()
  }, 120_000)

  /** rule id → case keys the rules find now */
  let before: Map<string, Set<string>>
  const caseKeys = async () => {
    const keys = new Map<string, Set<string>>()
    for (const rule of rules) keys.set(rule.id, new Set((await findCases(app.ctx.db, rule, { today: beijingDay() })).map((c) => c.case_key)))
    return keys
  }
  afterAll(() => app?.close())

  const scalar = async (query: string) => {
    const result = await app.ctx.db.client.query({ query, format: 'JSONEachRow' })
    return Number(Object.values((await result.json<Record<string, unknown>>())[0])[0])
  }

  it('seeds a history that ends by today, so the wall never shows a future data time', async () => {
    expect(await scalar('SELECT count() FROM payment_detail WHERE pay_time > now()')).toBe(0)
  })

  it('gives the year in progress a whole year of budget: execution at most 序时进度', async () => {
    const seededYear = Math.floor(beijingMonthBefore() / 100)
    if (seededYear !== Number(beijingDay().slice(0, 4))) return // in January the seeded year is over
    const execution = await runMetric(app.ctx.db, 'budget.executionRate', { region: '511000' })
    if (execution.kind !== 'value') throw new Error(execution.kind)
    // history ends last month: no more than the elapsed share of the year can be spent (months
    // and days differ by a point or two), and not so little that R19 would flag the whole city
    // (a budget sized to the seeded months alone read 97 % against 92 % elapsed on 1 December)
    expect(execution.value).toBeLessThanOrEqual(execution.compare!.value + 3)
    expect(execution.value).toBeGreaterThan(execution.compare!.value - 20)
  })

  it('posts plans, vouchers and payments that add up, every second', async () => {
    const warnings: string[] = []
    const feed = startSimulatedFeed({ db: app.ctx.db, url: app.url, token: app.ctx.config.INGEST_TOKEN, ratePerSec: 30, log: { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) } })
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline && (await scalar("SELECT count() FROM payment_detail WHERE startsWith(batch_id, 'SIM-')")) < 150) await new Promise((r) => setTimeout(r, 500))
    feed.stop()
    await new Promise((r) => setTimeout(r, 1500)) // let a batch in flight finish
    expect(warnings).toEqual([])
    expect(await scalar("SELECT count() FROM payment_detail WHERE startsWith(batch_id, 'SIM-')")).toBeGreaterThanOrEqual(150)
    // every live detail names a voucher and a plan that exist, and each voucher carries exactly its details
    expect(await scalar(`SELECT count() FROM payment_detail WHERE startsWith(batch_id, 'SIM-')
      AND (voucher_id NOT IN (SELECT voucher_id FROM payment_voucher) OR plan_id NOT IN (SELECT plan_id FROM spending_plan))`)).toBe(0)
    expect(await scalar(`SELECT count() FROM (SELECT voucher_id, sum(amount_paid) AS paid FROM payment_detail WHERE startsWith(batch_id, 'SIM-') GROUP BY voucher_id) AS d
      INNER JOIN (SELECT voucher_id, amount FROM payment_voucher FINAL) AS v USING voucher_id WHERE d.paid != v.amount`)).toBe(0)
  })

  it('sends nothing the rules would flag but its one planted anomaly in 20 batches', async () => {
    // the feed of the test above ran a while on a small city (about 900 people), where a random
    // pick repeats people within a few batches: the only new cases must be the planted ones
    const batches = await scalar("SELECT uniqExact(batch_id) FROM payment_detail WHERE startsWith(batch_id, 'SIM-')")
    const live: Record<string, number> = {}
    // R25 judges 高龄津贴 as of the payroll month, which the feed moves on to this month: someone
    // who turned 80 last month is a new 政策找人 lead by the calendar, not by the feed.
    const thisMonth = `${beijingDay().slice(0, 7)}-01`
    const newlyEighty = new Set(
      (await app.ctx.db.client.query({
        query: `SELECT concat(id_number, '|高龄津贴') AS key FROM beneficiary FINAL
                WHERE age('year', birth_date, toDate({m:String})) = 80 AND age('year', birth_date, addMonths(toDate({m:String}), -1)) = 79`,
        query_params: { m: thisMonth },
        format: 'JSONEachRow',
      }).then((result) => result.json<{ key: string }>())).map((row) => row.key),
    )
    for (const [rule, keys] of await caseKeys()) {
      const fresh = [...keys].filter((key) => !before.get(rule)!.has(key) && !(rule === 'R25' && newlyEighty.has(key))).length
      if (fresh) live[rule] = fresh
    }
    const planted = Math.ceil(batches / 20) + 1
    // R21 is time at work, not a fault of the feed: one more credit can make a card's twelfth month
    // without a withdrawal
    expect(Object.keys(live).filter((id) => !['R01', 'R02', 'R21'].includes(id)), JSON.stringify(live)).toEqual([])
    expect((live.R01 ?? 0) + (live.R02 ?? 0)).toBeLessThanOrEqual(planted)
  }, 60_000)

  it('plants a death only on a payment its project would still make by age this period (one anomaly, not an R06 besides)', async () => {
    const period = Number(beijingDay().slice(0, 7).replace('-', ''))
    const deathsResult = await app.ctx.db.client.query({ query: 'SELECT id_number FROM ref_death', format: 'JSONEachRow' })
    const deaths = new Set((await deathsResult.json<{ id_number: string }>()).map((row) => row.id_number))
    let planted = 0
    for (let seq = 20; seq <= 2000; seq += 20) {
      const batch = await makePaymentBatch(app.ctx.db, { size: 5, seq })
      const dead = batch.records.filter((record) => deaths.has(String(record.id_number)))
      for (const record of batch.records) {
        const project = projectByCode(String(record.project_code))!
        const age = Math.floor((period * 100 + 1 - Number(String(record.birth_date).replaceAll('-', ''))) / 10000)
        expect(age, `${record.detail_id} ${project.code}`).toBeGreaterThanOrEqual(project.ageMin)
        expect(age, `${record.detail_id} ${project.code}`).toBeLessThanOrEqual(project.ageMax)
      }
      planted += dead.length
    }
    expect(planted).toBeGreaterThan(0)
  }, 120_000)

  it("pays the month's payroll once, then rests and says so", async () => {
    const infos: string[] = []
    const feed = startSimulatedFeed({ db: app.ctx.db, url: app.url, token: app.ctx.config.INGEST_TOKEN, ratePerSec: 300, log: { info: (m) => infos.push(m), warn: (m) => infos.push(m), error: (m) => infos.push(m) } })
    const deadline = Date.now() + 45_000
    while (Date.now() < deadline && !infos.some((m) => m.includes('fully paid'))) await new Promise((r) => setTimeout(r, 500))
    feed.stop()
    await new Promise((r) => setTimeout(r, 1500))
    expect(infos.filter((m) => m.includes('fully paid'))).toHaveLength(1)
    // nobody was paid a project twice in the period, but for the planted duplicates (none here:
    // the city has deaths, so the planted case is R01)
    expect(await scalar(`SELECT count() FROM (SELECT id_number, project_code FROM payment_detail
      WHERE startsWith(batch_id, 'SIM-') GROUP BY id_number, project_code, period HAVING count() > 1)`)).toBe(0)
    // a batch in a planted-anomaly slot (seq % 20 = 0) now holds nothing at all
    expect((await makePaymentBatch(app.ctx.db, { size: 10, seq: 1000 })).records).toEqual([])
  }, 60_000)
})
