import type { Db } from '../db/client'
import { ruleThresholds } from '../catalogue/thresholds'
import type { Plan } from './params'
import { projectParams } from './projectParams'
import { chainParams, indicatorDoc } from './sqlCommon'
import { beijingDay } from '../beijingTime'

/**
 * The budget chain, built upwards from the payments so that it balances: a voucher per (county,
 * project, pay day, bank) holds exactly its details' paid sum; a plan per (county, project, month)
 * is its vouchers' sum rounded up; an indicator per (county, project, year) covers its plans with
 * 1–5 % to spare (a year still in progress: its whole year, see openYear), issued in the December
 * before. Injected: R16 vouchers paid to the bank days before
 * the cards were credited, R20 vouchers that disagree with their details, R19 indicators paid ≤ 40 %.
 */
export const chainRates = { R16: 0.003, R20: 0.002, R19: 0.01, R20plan: 0.002, D20plan: 0.002, D16: 0.002, D19: 0.01 }

export async function insertChain(db: Db, plan: Plan, now = Date.now()): Promise<void> {
  const params = { seed: plan.seed, ...projectParams(), ...chainParams(), ...chainRates, idleDays: ruleThresholds.idleVoucherDays, ...openYear(plan, now), lastYear: Math.floor(plan.lastPeriod / 100) }
  const run = (query: string) => db.client.command({ query, query_params: params })
  await run('DROP TABLE IF EXISTS sim_voucher')
  await run(`CREATE TABLE sim_voucher ENGINE = MergeTree ORDER BY voucher_id AS
    SELECT voucher_id, any(plan_id) AS plan_id, any(county_code) AS county_code, any(dept) AS dept, any(project_code) AS project_code,
           sum(amount_paid) AS paid, any(bank) AS bank, min(toDate(pay_time)) AS first_day,
           cityHash64({seed:UInt64}, 'vch', voucher_id) % 1000000 AS h,
           multiIf(h < {R16:Float64} * 1e6, 'R16', h < ({R16:Float64} + {R20:Float64}) * 1e6 AND paid >= 100, 'R20',
                   -- near miss: paid to the bank exactly idleVoucherDays before the cards (due, not late)
                   h >= ({R16:Float64} + {R20:Float64}) * 1e6 AND h < ({R16:Float64} + {R20:Float64} + {D16:Float64}) * 1e6, 'D16', '') AS rule
    FROM payment_detail WHERE voucher_id != '' GROUP BY voucher_id`)
  await run(`INSERT INTO payment_voucher (voucher_id, plan_id, county_code, dept, project_code, amount, bank, transit_account, pay_date, clearing_status, batch_id)
    SELECT voucher_id, plan_id, county_code, dept, project_code,
           if(rule = 'R20', paid - toDecimal64(greatest(1, floor(toFloat64(paid) * (0.05 + (h % 1000) / 5000))), 2), paid),
           bank, concat('5100', right(county_code, 2), leftPad(toString(cityHash64(county_code, bank) % 100000000000), 11, '0')),
           subtractDays(first_day, multiIf(rule = 'R16', {idleDays:UInt16} + 2 + h % 10, rule = 'D16', {idleDays:UInt16}, 1)), '已清算', 'SEED-CHAIN'
    FROM sim_voucher`)
  await run(`INSERT INTO ground_truth (rule_id, case_key, detail_id, note)
    SELECT rule, if(rule = 'R20', concat('voucher:', voucher_id), voucher_id), '', if(rule = 'R20', '凭证金额与明细不符', '资金在代发账户滞留')
    FROM sim_voucher WHERE rule LIKE 'R%'`)
  await run(`INSERT INTO decoy (rule_id, branch, case_key, detail_id, note)
    SELECT 'R16', '资金在代发账户滞留', voucher_id, '', '拨付银行后恰第 3 天到卡' FROM sim_voucher WHERE rule = 'D16'`)

  await run(`INSERT INTO spending_plan (plan_id, indicator_id, month, county_code, dept, project_code, amount, approved_date, batch_id)
    SELECT plan_id, concat('ZB', county_code, project_code, substring(plan_id, 12, 4)), toUInt32(substring(plan_id, 12, 6)), county_code, any(dept), project_code,
           -- R20 (voucher over plan): a plan approved 10 % short of what its vouchers drew; its near
           -- miss: a plan drawn to the cent (the vouchers exactly use it up). Otherwise rounded up.
           toDecimal64(multiIf(ph < {R20plan:Float64} * 1e6, floor(toFloat64(sum(v.amount)) * 0.9),
                               ph < ({R20plan:Float64} + {D20plan:Float64}) * 1e6, toFloat64(sum(v.amount)),
                               ceil(toFloat64(sum(v.amount)))), 2),
           subtractDays(min(v.pay_date), 3), 'SEED-CHAIN'
    FROM (SELECT *, cityHash64({seed:UInt64}, 'plan', plan_id) % 1000000 AS ph FROM payment_voucher WHERE batch_id = 'SEED-CHAIN') AS v
    GROUP BY plan_id, county_code, project_code, ph`)
  await run(`INSERT INTO ground_truth (rule_id, case_key, detail_id, note, branch)
    SELECT 'R20', concat('voucher:', voucher_id), '', '凭证超出计划余额', '凭证超出计划余额' FROM payment_voucher
    WHERE batch_id = 'SEED-CHAIN' AND cityHash64({seed:UInt64}, 'plan', plan_id) % 1000000 < {R20plan:Float64} * 1e6`)
  await run(`INSERT INTO decoy (rule_id, branch, case_key, detail_id, note)
    SELECT 'R20', '凭证超出计划余额', concat('voucher:', voucher_id), '', '凭证恰好用完计划' FROM payment_voucher
    WHERE batch_id = 'SEED-CHAIN' AND cityHash64({seed:UInt64}, 'plan', plan_id) % 1000000 >= {R20plan:Float64} * 1e6
      AND cityHash64({seed:UInt64}, 'plan', plan_id) % 1000000 < ({R20plan:Float64} + {D20plan:Float64}) * 1e6`)

  await run(`INSERT INTO budget_indicator (indicator_id, doc_no, fiscal_year, county_code, dept, project_code, fund_level, amount, allocated_date, issued_date, batch_id)
    SELECT indicator_id, ${indicatorDoc('county_code', 'j', 'year')}, year, county_code, any(dept), project_code, {pFund:Array(String)}[j],
           toDecimal64(ceil(toFloat64(sum(amount)) * if(year = {openYear:UInt16}, 12 / {openMonths:UInt8}, 1)
                            * multiIf(h < {R19:Float64} * 1e6, 1 / (0.25 + (h % 1000) / 6667),
                                      -- near miss: a closed year executed at 83–85 %, above the 80 % line (100 % − margin)
                                      h < ({R19:Float64} + {D19:Float64}) * 1e6 AND year < {lastYear:UInt16}, 1 / (0.83 + (h % 1000) / 50000),
                                      1.01 + (h % 1000) / 25000)), 2),
           makeDate(year - 1, 12, 1) + h % 15, makeDate(year - 1, 12, 1) + h % 15 + 3 + h % 7, 'SEED-CHAIN'
    FROM (SELECT *, toUInt16(intDiv(month, 100)) AS year, indexOf({pCode:Array(String)}, project_code) AS j,
                 cityHash64({seed:UInt64}, 'ind', indicator_id) % 1000000 AS h FROM spending_plan WHERE batch_id = 'SEED-CHAIN')
    GROUP BY indicator_id, year, county_code, project_code, j, h`)
  await run(`INSERT INTO ground_truth (rule_id, case_key, detail_id, note)
    SELECT DISTINCT 'R19', indicator_id, '', '预算执行低于序时进度' FROM spending_plan
    WHERE batch_id = 'SEED-CHAIN' AND cityHash64({seed:UInt64}, 'ind', indicator_id) % 1000000 < {R19:Float64} * 1e6`)
  await run(`INSERT INTO decoy (rule_id, branch, case_key, detail_id, note)
    SELECT DISTINCT 'R19', '', indicator_id, '', '已结束年度执行 83–85%（高于序时进度减 20 个百分点）' FROM spending_plan
    WHERE batch_id = 'SEED-CHAIN' AND toUInt16(intDiv(month, 100)) < {lastYear:UInt16}
      AND cityHash64({seed:UInt64}, 'ind', indicator_id) % 1000000 >= {R19:Float64} * 1e6
      AND cityHash64({seed:UInt64}, 'ind', indicator_id) % 1000000 < ({R19:Float64} + {D19:Float64}) * 1e6`)
  await run('DROP TABLE sim_voucher')
}

/**
 * A history that ends in the middle of the real current year (the demo: up to last month, with the
 * live feed paying this month) has that year's indicators for the whole year, not just for the
 * months seeded: built from the seeded plans alone they were spent to 97–100 % by November and the
 * feed's December pushed execution past 100 %. A year already over keeps indicators sized to its
 * plans, as the back-test's truth expects.
 */
function openYear(plan: Plan, now: number): { openYear: number; openMonths: number } {
  const shanghaiYear = Number(beijingDay(now).slice(0, 4))
  const lastYear = Math.floor(plan.lastPeriod / 100)
  const months = plan.lastPeriod % 100
  return lastYear === shanghaiYear && months < 12 ? { openYear: lastYear, openMonths: months } : { openYear: 0, openMonths: 12 }
}
