import { z } from 'zod'
import type { Db } from '../../server/db/client'
import { mergeRollups } from '../../server/simulate/rollups'
import { regionsAtLevel } from '../../geo/regions'
import { projects } from '../../server/catalogue'

/**
 * Bench data when server/simulate's seedDatabase is not available: `rows` payments generated inside
 * ClickHouse (INSERT … SELECT FROM numbers, in 1M-row chunks so the rollups' views keep memory
 * small), shaped like the article's figures (≈23 payments per person, 2018 → now, 99.5 % success),
 * plus a budget chain built from what was paid, so every wall panel has something to read.
 * Payment-level anomalies are not injected: the bench measures speed, not rules.
 */
const CHUNK = 1_000_000

export async function seedSynthetic(db: Db, rows: number, log: (line: string) => void): Promise<void> {
  const have = await countRows(db)
  if (have >= rows) log(`reusing ${have.toLocaleString()} payment rows`)
  else await insertPayments(db, have, rows, log)
  // A seed stopped after its payments (killed, timed out) still gets its budget chain and merges.
  if (have < rows || !(await hasBudgetChain(db))) await seedBudgetChain(db)
  // Chunked inserts leave every rollup in many large parts; a city's server would have merged them
  // (migration 091) long before anyone measured it, so the bench starts from merged rollups.
  await mergeRollups(db)
}

async function insertPayments(db: Db, have: number, rows: number, log: (line: string) => void): Promise<void> {
  const villages = regionsAtLevel('village').map((village) => village.code)
  const catalogue = projects
  const persons = Math.max(1000, Math.round(rows / 23))
  for (let from = have; from < rows; from += CHUNK) {
    const count = Math.min(CHUNK, rows - from)
    const started = Date.now()
    await db.client.command({
      query: INSERT_PAYMENTS,
      query_params: {
        from,
        count,
        persons,
        villages,
        projectCodes: catalogue.map((project) => project.code),
        depts: catalogue.map((project) => project.dept),
        seconds: Math.floor((Date.now() - Date.parse('2018-01-01T00:00:00+08:00')) / 1000),
      },
    })
    log(`payments ${(from + count).toLocaleString()} / ${rows.toLocaleString()} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  }
}

async function hasBudgetChain(db: Db): Promise<boolean> {
  const result = await db.client.query({ query: 'SELECT count() > 0 AS seeded FROM budget_indicator', format: 'JSONEachRow' })
  const [row] = await result.json<{ seeded: number | boolean }>()
  return Boolean(Number(row.seeded))
}

async function countRows(db: Db): Promise<number> {
  const result = await db.client.query({ query: 'SELECT count() AS n FROM payment_detail', format: 'JSONEachRow' })
  const [row] = await result.json<{ n: string }>()
  return z.coerce.number().parse(row.n)
}

const INSERT_PAYMENTS = `
INSERT INTO payment_detail (detail_id, batch_id, period, project_code, dept, paying_unit, county_code, town_code, village_code,
  household_id, person_name, id_number, gender, birth_date, card_number, account_holder, bank, phone, base_quantity, standard,
  amount_due, amount_paid, pay_time, status, reissue_of, plan_id, voucher_id, fund_level)
SELECT
  concat('S-', toString(number)) AS detail_id,
  'bench-seed' AS batch_id,
  toYYYYMM(pay_time) AS period,
  project_code,
  depts[project_index] AS dept,
  concat(dept, '代发') AS paying_unit,
  substring(village_code, 1, 6) AS county_code,
  substring(village_code, 1, 9) AS town_code,
  village_code,
  concat('H-', toString(intDiv(person, 3))) AS household_id,
  '测试' AS person_name,
  concat('5110', leftPad(toString(person), 14, '0')) AS id_number,
  if(person % 2 = 0, '男', '女') AS gender,
  toDate32('1930-01-01') + toInt32(cityHash64(person) % 32000) AS birth_date,
  concat('6221', leftPad(toString(person), 12, '0')) AS card_number,
  '测试' AS account_holder,
  ['四川农信', '农业银行', '邮储银行', '建设银行', '工商银行', '中国银行'][1 + cityHash64(person, 7) % 6] AS bank,
  '' AS phone,
  1 AS base_quantity,
  amount AS standard,
  amount AS amount_due,
  amount AS amount_paid,
  toDateTime('2018-01-01 00:00:00', 'Asia/Shanghai') + toUInt32(cityHash64(number, 3) % {seconds:UInt32}) AS pay_time,
  multiIf(h % 1000 < 995, '成功', h % 1000 < 998, '失败', h % 1000 < 999, '退回', '在途') AS status,
  '' AS reissue_of,
  concat('PL-', county_code, '-', project_code, '-', toString(period)) AS plan_id,
  concat('V-', county_code, '-', project_code, '-', toString(period)) AS voucher_id,
  '中央' AS fund_level
FROM (
  SELECT number, cityHash64(number) AS h, number % {persons:UInt64} AS person,
         {villages:Array(String)}[1 + cityHash64(person, 1) % length({villages:Array(String)})] AS village_code,
         1 + cityHash64(person, 2) % length({projectCodes:Array(String)}) AS project_index,
         {projectCodes:Array(String)}[project_index] AS project_code,
         {depts:Array(String)} AS depts,
         toDecimal64(50 + h % 1500, 2) AS amount
  FROM numbers({from:UInt64}, {count:UInt64})
)`

/** Indicators per county × project × year, and a plan and voucher per county × project × month, from what was paid. */
async function seedBudgetChain(db: Db): Promise<void> {
  for (const table of ['budget_indicator', 'spending_plan', 'payment_voucher']) await db.client.command({ query: `TRUNCATE TABLE ${table}` })
  await db.client.command({
    query: `INSERT INTO budget_indicator (indicator_id, doc_no, fiscal_year, county_code, dept, project_code, fund_level, amount, allocated_date, issued_date, batch_id)
            SELECT concat('I-', county_code, '-', project_code, '-', toString(toYear(month))) AS indicator_id, concat('内财〔', toString(toYear(month)), '〕') AS doc_no,
                   toYear(month) AS fiscal_year, county_code, any(dept), project_code, '中央', sum(amount_paid) * 1.3, makeDate(toYear(month), 1, 15), makeDate(toYear(month), 2, 1), 'bench-seed'
            FROM agg_payment_month GROUP BY county_code, project_code, toYear(month)`,
  })
  await db.client.command({
    query: `INSERT INTO spending_plan (plan_id, indicator_id, month, county_code, dept, project_code, amount, approved_date, batch_id)
            SELECT concat('PL-', county_code, '-', project_code, '-', toString(toYYYYMM(month))), concat('I-', county_code, '-', project_code, '-', toString(toYear(month))),
                   toYYYYMM(month), county_code, any(dept), project_code, sum(amount_paid) * 1.05, month, 'bench-seed'
            FROM agg_payment_month GROUP BY county_code, project_code, month`,
  })
  await db.client.command({
    query: `INSERT INTO payment_voucher (voucher_id, plan_id, county_code, dept, project_code, amount, bank, transit_account, pay_date, clearing_status, batch_id)
            SELECT concat('V-', county_code, '-', project_code, '-', toString(toYYYYMM(month))), concat('PL-', county_code, '-', project_code, '-', toString(toYYYYMM(month))),
                   county_code, any(dept), project_code, sum(amount_paid) * 1.01, '四川农信', 'T-1', month, '已清算', 'bench-seed'
            FROM agg_payment_month GROUP BY county_code, project_code, month`,
  })
}
