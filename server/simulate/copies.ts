import type { Db } from '../db/client'
import { article, atLeast, WINDOW_MONTHS, type Plan } from './params'
import { periodDates } from './sqlDates'
import { villageParams, countyShares } from './population'
import { getRegion } from '../../geo/regions'
import { projectIndex, projectParams } from './projectParams'
import { chainParams, indicatorDoc } from './sqlCommon'

/**
 * Anomalies that add a payment next to a clean one (copies with a twist), collected in `sim_inject`
 * with their case keys, then written to payment_detail (through the rollup views) and ground_truth.
 * Sources are clean rows only, one per person, picked by hash.
 */
export const copyRates = {
  /** R02: same person, project, period paid twice in one county (share of clean rows). */
  R02: 0.0003,
  /** R03: paid again in another county; the article found 127 records in 3985 万. */
  // one per person: measured 160 at ×1.0 over all clean rows, 127 wanted; now only rows of 800–3000
  // yuan (≈ 5 % of paid rows, average ≈ 1250) are copied, so that the 127 records come to about the
  // article's 13.52 万元 (all clean rows averaged 300 yuan: 3.76 万元)
  R03: ((article.crossRegionCases / article.payments) * 0.8) / 0.05,
  /** R04: the sibling project of an exclusion group in the same period (share of eligible rows). */
  R04: 0.002,
  /** R06: 高龄津贴 (80–89) paid to a 70–78-year-old pensioner (share of such rows). */
  R06: 0.0004,
  /** R07: officials given 临时救助 (share of officials). */
  R07: 0.08,
  /** R08: village cadres or relatives given 耕地地力保护补贴 (share of them). */
  R08: 0.1,
  /** R12: asset holders given 临时救助(支出型) (share of them). */
  R12: 0.003,
}

const siblings: Array<[string, string]> = [['P01', 'P02'], ['P02', 'P01'], ['P03', 'P04'], ['P04', 'P03'], ['P06', 'P08'], ['P07', 'P08'],
  ['P08', 'P06'], ['P35', 'P36'], ['P36', 'P35'], ['P63', 'P64'], ['P64', 'P63']]

/** A clean source row: paid once, on time, as due, to its holder, with its voucher. */
const clean = `status = '成功' AND reissue_of = '' AND holder_id_number = id_number AND amount_paid = amount_due
  AND amount_due = standard * base_quantity AND voucher_id != '' AND toYYYYMM(pay_time) = period`

/** Copy of a row moved to project `nc` (computed in the source as nc, nj = its index, amt = standard). */
const asProject = (qty = 'base_quantity') => `* EXCEPT (nc, nj, amt) REPLACE (
    concat(detail_id, if(startsWith(rule_tag, 'D'), 'Y', 'X'), substring(rule_tag, 2)) AS detail_id,
    nc AS project_code, {pDept:Array(String)}[nj] AS dept,
    concat(transform(county_code, {countyCodes:Array(String)}, {countyNames:Array(String)}, ''), {pUnit:Array(String)}[nj]) AS paying_unit,
    {pFund:Array(String)}[nj] AS fund_level, concat(substring(plan_id, 1, 8), nc, substring(plan_id, 12)) AS plan_id,
    concat(substring(voucher_id, 1, 7), nc, substring(voucher_id, 11)) AS voucher_id,
    ${indicatorDoc('county_code', 'nj', 'intDiv(period, 100)')} AS indicator_doc,
    ${qty} AS base_quantity, toDecimal64(amt, 2) AS standard, toDecimal64(amt, 2) * ${qty} AS amount_due, toDecimal64(amt, 2) * ${qty} AS amount_paid)`

/** Standard inside project nj's band, from a hash of the source row. */
const bandAmount = `toUInt32(round({pMin:Array(Float64)}[nj] + ({pMax:Array(Float64)}[nj] - {pMin:Array(Float64)}[nj]) * (cityHash64({seed:UInt64}, 'camt', detail_id) % 1000 / 1000)))`

export async function injectCopies(db: Db, plan: Plan, table = 'payment_detail'): Promise<void> {
  const counties = Object.keys(countyShares)
  const params = {
    seed: plan.seed, ...projectParams(), ...chainParams(), ...villageParams(), ...copyRates,
    R02: atLeast(copyRates.R02, 3, plan.payments), R03: atLeast(copyRates.R03, 3, plan.payments * 0.05),
    R04: atLeast(copyRates.R04, 3, plan.payments * 0.05), R06: atLeast(copyRates.R06, 3, plan.payments * 0.05),
    R07: atLeast(copyRates.R07, 3, plan.persons * 0.004), R08: atLeast(copyRates.R08, 3, plan.persons * 0.005),
    R12: atLeast(copyRates.R12, 3, plan.persons * 0.05), decoys: Math.min(200, Math.max(3, Math.round(plan.persons * 0.001))),
    ...periodDates(plan), W: WINDOW_MONTHS,
    countyCodes: counties, countyNames: counties.map((c) => getRegion(c)!.name),
    sibFrom: siblings.map((s) => s[0]), sibTo: siblings.map((s) => s[1]),
    jOld: projectIndex('P11'), jRelief1: projectIndex('P09'), jRelief2: projectIndex('P10'), jLand: projectIndex('P41'),
  }
  const run = async (query: string) => {
    const started = Date.now()
    await db.client.command({ query, query_params: params })
    if (process.env.SIM_TIMING) console.log(`${Date.now() - started} ms ${query.trim().slice(0, 60).replace(/\s+/g, ' ')}`)
  }
  const pick = (tag: string, rate: string) => `cityHash64({seed:UInt64}, '${tag}', detail_id) % 1000000 < {${rate}:Float64} * 1e6`
  const into = 'INSERT INTO sim_inject'
  await run('DROP TABLE IF EXISTS sim_inject')
  await run(`CREATE TABLE sim_inject ENGINE = MergeTree ORDER BY tuple() AS SELECT '' AS rule, '' AS case_key, '' AS note, * FROM ${table} LIMIT 0`)

  await run(`${into} SELECT 'R02', concat(id_number, '|', project_code, '|', toString(period)), '同期同项目重复发放',
      * REPLACE (concat(detail_id, 'X2') AS detail_id, pay_time + 7200 AS pay_time)
    FROM ${table} WHERE ${clean} AND ${pick('r02', 'R02')} LIMIT 1 BY id_number`)

  await run(`${into} SELECT 'R03', concat(id_number, '|', project_code, '|', toString(period)), '跨县重复发放', * EXCEPT (ci, nc, nv) REPLACE (
      concat(detail_id, 'X3') AS detail_id, nc AS county_code, left(nv, 9) AS town_code, nv AS village_code,
      replaceOne(paying_unit, transform(county_code, {countyCodes:Array(String)}, {countyNames:Array(String)}, ''), transform(nc, {countyCodes:Array(String)}, {countyNames:Array(String)}, '')) AS paying_unit,
      concat('PL', nc, substring(plan_id, 9)) AS plan_id, concat('V', nc, substring(voucher_id, 8)) AS voucher_id)
    FROM (SELECT *, indexOf({countyCodes:Array(String)}, county_code) % 5 + 1 AS ci, {countyCodes:Array(String)}[ci] AS nc,
                 {villages:Array(String)}[{vOff:Array(UInt32)}[ci] + cityHash64({seed:UInt64}, 'r03v', detail_id) % {vCnt:Array(UInt32)}[ci] + 1] AS nv
          FROM ${table} WHERE ${clean} AND amount_paid BETWEEN 800 AND 3000 AND ${pick('r03', 'R03')} LIMIT 1 BY id_number)`)

  const moved = (rule: string, key: string, note: string, source: string, code: string, qty?: string) =>
    run(`${into} SELECT '${rule}', ${key}, '${note}', ${asProject(qty).replaceAll('rule_tag', `'${rule}'`)}
      FROM (SELECT *, ${code} AS nc, indexOf({pCode:Array(String)}, nc) AS nj, ${bandAmount} AS amt FROM (${source}))`)

  await moved('R04', `concat(id_number, '|', toString(period), '|', {pGroup:Array(String)}[nj])`, '同期享受互斥项目',
    `SELECT * FROM ${table} WHERE project_code IN {sibFrom:Array(String)} AND ${clean} AND ${pick('r04', 'R04')} LIMIT 1 BY id_number`,
    `transform(project_code, {sibFrom:Array(String)}, {sibTo:Array(String)}, '')`)
  await moved('R06', `concat(detail_id, 'X06')`, '年龄不符合享受条件', `SELECT * FROM ${table} WHERE project_code = 'P26' AND ${clean}
      AND age('year', birth_date, toDate(pay_time)) BETWEEN 70 AND 78 AND ${pick('r06', 'R06')} LIMIT 1 BY id_number`, `'P11'`)
  await moved('R07', `concat(id_number, '|', nc)`, '公职人员领取救助类补贴', `SELECT * FROM ${table} WHERE ${clean}
      AND id_number IN (SELECT id_number FROM ref_official WHERE kind IN ('公职人员', '财政供养人员')) AND ${pick('r07', 'R07')} LIMIT 1 BY id_number`, `'P09'`)
  // adults on the 1st of the period, as R06 counts age: a relative turning 18 later that month
  // would make the copy an R06 case too (seen once at full scale)
  await moved('R08', `concat(id_number, '|', nc)`, '村干部及亲属享受村评项目', `SELECT * FROM ${table} WHERE ${clean}
      AND id_number IN (SELECT id_number FROM ref_official WHERE kind IN ('村干部', '村干部亲属'))
      AND intDiv(toInt64(period) * 100 + 1 - toInt64(toYYYYMMDD(birth_date)), 10000) >= 18 AND ${pick('r08', 'R08')} LIMIT 1 BY id_number`,
    `'P41'`, `toDecimal64(1 + cityHash64({seed:UInt64}, 'r08q', detail_id) % 500 / 100, 2)`)
  await moved('R12', `concat(id_number, '|', nc)`, '有车有房有经营主体仍享受救助', `SELECT * FROM ${table} WHERE ${clean}
      AND id_number IN (SELECT id_number FROM ref_asset WHERE kind != '房产' OR count >= 2)
      AND id_number NOT IN (SELECT id_number FROM ref_official) AND ${pick('r12', 'R12')} LIMIT 1 BY id_number`, `'P10'`)

  // Near misses (decoys) that add a payment a correct rule must not flag, picked by hash from clean
  // rows of people paid no more of that item afterwards (the row's next period is free), and no
  // natural death recorded:
  // D03: moved to another county, paid there from the next period on (two counties, two periods);
  // D04: a 低保 household moved from town to village (P01 → P02, or back) the next period;
  // D12: a one-flat owner (房产 1, below R12's threshold) given 临时救助(支出型) once.
  const last = 'toYYYYMM(addMonths({startDate:Date}, {W:UInt16} - 1))'
  const freeNext = (codes: string) => `${clean} AND project_code IN ${codes} AND period < ${last}
      AND id_number NOT IN (SELECT id_number FROM ref_death)
      AND concat(id_number, '|', toString(toYYYYMM(addMonths(toDate(pay_time), 1)))) NOT IN
          (SELECT concat(id_number, '|', toString(period)) FROM ${table} WHERE project_code IN ${codes})`
  // The copy moves to the next month: np (its period) and npt (its pay time) come from the layer below.
  const next = 'toYYYYMM(addMonths(toDate(pay_time), 1)) AS np, addMonths(pay_time, 1) AS npt'
  const nextMonth = `* EXCEPT (np, npt) REPLACE (np AS period, npt AS pay_time,
      concat('V', county_code, project_code, toString(toYYYYMMDD(toDate(npt))), substring(voucher_id, 19)) AS voucher_id,
      concat('PL', county_code, project_code, toString(np)) AS plan_id)`
  await run(`${into} SELECT 'D03', concat(id_number, '|', project_code, '|', toString(np)), '迁居外县，次月起由新县发放', ${nextMonth}
    FROM (SELECT * EXCEPT (ci, nc, nv) REPLACE (
            concat(detail_id, 'Y3') AS detail_id, nc AS county_code, left(nv, 9) AS town_code, nv AS village_code,
            replaceOne(paying_unit, transform(county_code, {countyCodes:Array(String)}, {countyNames:Array(String)}, ''), transform(nc, {countyCodes:Array(String)}, {countyNames:Array(String)}, '')) AS paying_unit),
            ${next}
          FROM (SELECT *, indexOf({countyCodes:Array(String)}, county_code) % 5 + 1 AS ci, {countyCodes:Array(String)}[ci] AS nc,
                       {villages:Array(String)}[{vOff:Array(UInt32)}[ci] + cityHash64({seed:UInt64}, 'd03v', detail_id) % {vCnt:Array(UInt32)}[ci] + 1] AS nv
                FROM ${table} WHERE ${freeNext("('P26')")} AND age('year', birth_date, toDate(pay_time)) BETWEEN 61 AND 118
                ORDER BY cityHash64({seed:UInt64}, 'd03', detail_id) LIMIT 1 BY id_number LIMIT {decoys:UInt32}))`)
  await run(`${into} SELECT 'D04', concat(id_number, '|', toString(np), '|', {pGroup:Array(String)}[indexOf({pCode:Array(String)}, project_code)]), '城乡低保转换，次月起领新项目', ${nextMonth}
    FROM (SELECT ${asProject().replaceAll('rule_tag', "'D04'")}, ${next}
          FROM (SELECT *, if(project_code = 'P01', 'P02', 'P01') AS nc, indexOf({pCode:Array(String)}, nc) AS nj, ${bandAmount} AS amt
                FROM ${table} WHERE ${freeNext("('P01', 'P02')")}
                ORDER BY cityHash64({seed:UInt64}, 'd04', detail_id) LIMIT 1 BY id_number LIMIT {decoys:UInt32}))`)
  // people first (a few hundred ids), then one clean row of each: sorting every clean row of the
  // one-flat owners took 4.5 s at demo scale
  await moved('D12', `concat(id_number, '|', nc)`, '仅有一套住房，领取临时救助', `SELECT * FROM ${table} WHERE ${clean}
      AND id_number IN (SELECT id_number FROM ref_asset GROUP BY id_number HAVING maxIf(count, kind = '房产') = 1 AND countIf(kind != '房产') = 0
                        AND id_number NOT IN (SELECT id_number FROM ref_official) AND id_number NOT IN (SELECT id_number FROM ${table} WHERE project_code = 'P10')
                        AND id_number IN (SELECT id_number FROM ${table} WHERE ${clean})
                        ORDER BY cityHash64({seed:UInt64}, 'd12', id_number) LIMIT {decoys:UInt32})
      LIMIT 1 BY id_number`, `'P10'`, 'toDecimal64(1, 2)')

  const columns = (await (await db.client.query({ query: `SELECT * FROM ${table} LIMIT 0`, format: 'JSONCompactEachRowWithNames' })).text()).split('\n')[0]
  const names = (JSON.parse(columns) as string[]).map((c) => `\`${c.replace(/[^a-z_]/g, '')}\``).join(', ')
  await run(`INSERT INTO ${table} (${names}) SELECT ${names} FROM sim_inject`)
  await run(`INSERT INTO ground_truth (rule_id, case_key, detail_id, note) SELECT rule, case_key, detail_id, note FROM sim_inject WHERE rule LIKE 'R%'`)
  await run(`INSERT INTO decoy (rule_id, branch, case_key, detail_id, note)
    SELECT concat('R', substring(rule, 2)), '', case_key, detail_id, note FROM sim_inject WHERE rule LIKE 'D%'`)
  await run('DROP TABLE sim_inject')
}

