import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { openTempDb } from '../testing/tempDb'
import type { Db } from '../db/client'
import { projects } from '../catalogue'
import { resetSeededTables, seedDatabase } from './seed'
import { makePaymentBatch } from './feed'
import { checkCharacterOf } from '../ingest/idNumber'

/** One temp data dir for this file (chDB binds one per process); a 20 k-payment city. */
let db: Db
const SCALE = 20_000
const SEED = Number(process.env.SIM_TEST_SEED ?? 7)

async function rows<T>(query: string): Promise<T[]> {
  const result = await db.client.query({ query, format: 'JSONEachRow' })
  return result.json<T>()
}
async function one<T>(query: string): Promise<T> {
  return (await rows<T>(query))[0]
}

beforeAll(async () => {
  db = await openTempDb()
  await seedDatabase(db, { scale: SCALE, seed: SEED })
}, 120_000)
afterAll(async () => db?.close())

describe('seedDatabase at small scale', () => {
  it('meets the scaled targets for payments, amount and people', async () => {
    const t = await one<{ n: string; amount: number; persons: string }>(
      'SELECT count() AS n, toFloat64(sum(amount_paid)) AS amount, uniqExact(id_number) AS persons FROM payment_detail')
    const f = SCALE / 39_850_000
    expect(Math.abs(Number(t.n) / SCALE - 1)).toBeLessThan(0.01)
    // At 20 k payments the minimum few cases per rule (copies of up to 5000-yuan items) weigh ~4 %
    // (seed 7: R12 copies +2.2 %, R07 +1.5 %, near-miss copies +0.2 %, clean rows +1.2 % since deaths
    // follow 内江's mortality); at demo scale the amount is measured within 0.4 %, at full within 0.4 %.
    expect(Math.abs(t.amount / (11_872_000_000 * f) - 1)).toBeLessThan(0.06)
    expect(Math.abs(Number(t.persons) / (1_725_100 * f) - 1)).toBeLessThan(0.02)
  })

  it('writes valid 身份证号 (GB 11643 check digit, birth date inside) except the injected R24 ones', async () => {
    const ids = await rows<{ id_number: string; birth_date: string; gender: string }>('SELECT id_number, birth_date, gender FROM beneficiary')
    const bad = new Set((await rows<{ case_key: string }>("SELECT case_key FROM ground_truth WHERE rule_id = 'R24'")).map((r) => r.case_key))
    let checked = 0
    for (const { id_number, birth_date, gender } of ids) {
      expect(id_number).toMatch(/^\d{17}[\dX]$/)
      expect(id_number.slice(6, 14)).toBe(birth_date.replaceAll('-', ''))
      const valid = checkCharacterOf(id_number) === id_number[17] && (Number(id_number[16]) % 2 === 1) === (gender === '男')
      expect(valid).toBe(!bad.has(id_number))
      checked++
    }
    expect(checked).toBeGreaterThan(500)
  })

  it('keeps the budget chain balanced: details = voucher, vouchers ≤ plan, plans ≤ indicator', async () => {
    const mismatched = await one<{ n: string }>(`
      SELECT count() AS n FROM payment_voucher AS v
      INNER JOIN (SELECT voucher_id, sum(amount_paid) AS paid FROM payment_detail WHERE voucher_id != '' GROUP BY voucher_id) AS d USING voucher_id
      WHERE v.amount != d.paid AND concat('voucher:', v.voucher_id) NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R20')`)
    expect(Number(mismatched.n)).toBe(0)
    const overPlan = await one<{ n: string }>(`
      SELECT count() AS n FROM spending_plan AS p INNER JOIN (SELECT plan_id, sum(amount) AS s FROM payment_voucher GROUP BY plan_id) AS v USING plan_id
      WHERE v.s > p.amount AND plan_id NOT IN (SELECT plan_id FROM payment_voucher WHERE concat('voucher:', voucher_id) IN
                                                 (SELECT case_key FROM ground_truth WHERE rule_id = 'R20' AND branch = '凭证超出计划余额'))`)
    expect(Number(overPlan.n)).toBe(0)
    const overIndicator = await one<{ n: string }>(`
      SELECT count() AS n FROM budget_indicator AS i INNER JOIN (SELECT indicator_id, sum(amount) AS s FROM spending_plan GROUP BY indicator_id) AS p USING indicator_id
      WHERE p.s > i.amount`)
    expect(Number(overIndicator.n)).toBe(0)
    const orphanDetails = await one<{ n: string }>(`SELECT count() AS n FROM payment_detail WHERE voucher_id NOT IN (SELECT voucher_id FROM payment_voucher)
      AND concat('detail:', detail_id) NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R20')`)
    expect(Number(orphanDetails.n)).toBe(0)
  })

  it('records ground truth for every rule of CASES.md, in its case-key format', async () => {
    const cases = fs.readFileSync(path.join(import.meta.dirname, '../rules/CASES.md'), 'utf8')
    const rules = [...new Set([...cases.matchAll(/^\| (R\d\d) /gm)].map((m) => m[1]))]
    expect(rules.length).toBe(23)
    const counts = new Map((await rows<{ rule_id: string; n: string }>('SELECT rule_id, count() AS n FROM ground_truth GROUP BY rule_id')).map((r) => [r.rule_id, Number(r.n)]))
    for (const rule of rules) expect(counts.get(rule) ?? 0, rule).toBeGreaterThan(0)
    const keys = await rows<{ rule_id: string; case_key: string }>('SELECT rule_id, any(case_key) AS case_key FROM ground_truth GROUP BY rule_id')
    const shape: Record<string, RegExp> = {
      R02: /^\d{17}[\dX]\|P\d\d\|\d{6}$/, R03: /^\d{17}[\dX]\|P\d\d\|\d{6}$/, R04: /^\d{17}[\dX]\|\d{6}\|.+$/, R07: /^\d{17}[\dX]\|P\d\d$/,
      R17: /^SQ.+\|(村评|镇审|县定|市管)$/, R20: /^(voucher|detail):.+$/, R25: /^\d{17}[\dX]\|(教育资助|高龄津贴|护理补贴)$/,
    }
    for (const { rule_id, case_key } of keys) if (shape[rule_id]) expect(case_key, rule_id).toMatch(shape[rule_id])
  })

  it('keeps clean rows inside each project band (amount and age), one payment per person, project and period', async () => {
    const codes = projects.map((p) => p.code)
    const result = await db.client.query({
      query: `SELECT countIf(standard < toFloat64({min:Array(Float64)}[indexOf({codes:Array(String)}, project_code)]) OR standard > toFloat64({max:Array(Float64)}[indexOf({codes:Array(String)}, project_code)])) AS amount,
                     countIf(detail_id NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R06')
                       AND (age('year', birth_date, toDate(pay_time)) < {lo:Array(UInt8)}[indexOf({codes:Array(String)}, project_code)]
                         OR age('year', birth_date, toDate(pay_time)) > {hi:Array(UInt8)}[indexOf({codes:Array(String)}, project_code)])) AS age
              FROM payment_detail`,
      query_params: { codes, min: projects.map((p) => p.amountMin), max: projects.map((p) => p.amountMax), lo: projects.map((p) => p.ageMin), hi: projects.map((p) => p.ageMax) },
      format: 'JSONEachRow',
    })
    const [bands] = await result.json<{ amount: string; age: string }>()
    expect(Number(bands.amount)).toBe(0)
    expect(Number(bands.age)).toBe(0)
    const duplicates = await one<{ n: string }>(`
      SELECT count() AS n FROM (SELECT id_number, project_code, period FROM payment_detail WHERE status = '成功'
                                GROUP BY id_number, project_code, period HAVING count() > 1)
      WHERE concat(id_number, '|', project_code, '|', toString(period)) NOT IN (SELECT case_key FROM ground_truth WHERE rule_id IN ('R02', 'R03'))`)
    expect(Number(duplicates.n)).toBe(0)
  })

  it('builds live batches in payment_detail record format', async () => {
    const batch = await makePaymentBatch(db, { size: 50, seq: 3, now: Date.UTC(2026, 10, 29, 2, 0, 0) })
    expect(batch.batchId).toBe('SIM-20261129-0000003')
    expect(batch.records.length).toBe(50)
    const columns = (await rows<{ name: string; default_kind: string }>(
      "SELECT name, default_kind FROM system.columns WHERE database = currentDatabase() AND table = 'payment_detail'"))
      .filter((c) => !['batch_id', 'ingested_at'].includes(c.name) && !['MATERIALIZED', 'ALIAS'].includes(c.default_kind)) // the table computes these
      .map((c) => c.name).sort()
    for (const record of batch.records) {
      expect(Object.keys(record).sort()).toEqual(columns)
      expect(record.period).toBe(202611)
      expect(record.pay_time).toMatch(/^2026-11-29 09:59:\d\d$|^2026-11-29 10:00:00$/)
      expect(record.birth_date).toMatch(/^\d{4}-\d\d-\d\d$/)
    }
    expect(new Set(batch.records.map((r) => r.detail_id)).size).toBe(50)
  })

  it('is deterministic: the same seed gives the same totals and cases', async () => {
    const snapshot = () => one<Record<string, string>>(`SELECT count() AS n, toString(sum(amount_paid)) AS amount, uniqExact(id_number) AS persons,
      (SELECT count() FROM ground_truth) AS cases, (SELECT toString(sum(amount)) FROM budget_indicator) AS budget FROM payment_detail`)
    const before = await snapshot()
    await resetSeededTables(db)
    await seedDatabase(db, { scale: SCALE, seed: SEED })
    expect(await snapshot()).toEqual(before)
  }, 120_000)
})
