import { quoteIdentifier, type Db } from '../db/client'
import { banks } from '../catalogue'
import { getRegion } from '../../geo/regions'
import { ruleThresholds } from '../catalogue/thresholds'
import { atLeast, type Plan } from './params'
import { periodDates } from './sqlDates'
import { countyShares } from './population'
import { enrollmentParams, scalar } from './enrollments'
import { chainParams, idCheck, indicatorDoc, monthStart, payDate, PENSION_CODE, pensionStandard, quantity, standardAt } from './sqlCommon'

/**
 * Expands `sim_enroll` into payment_detail (one row per payment month) in one INSERT … SELECT, and
 * writes the ground truth of the anomalies decided row by row (R05, R10, R15, R18, R20, R23). Each
 * row's fate comes from cityHash64(seed, 'row', eid, m) in disjoint per-mille slices, so a row carries
 * at most one anomaly and the same seed always picks the same rows.
 */
export const rowAnomalyRates = {
  /** R05 above standard (paid 10–40 % over standard × quantity). */
  R05: 0.0003,
  /** R23 amount jump (paid 30–45 % of the usual amount; standard unchanged). */
  R23: 0.0002,
  /** R15 failed and never re-issued. */
  R15: 0.0001,
  /** Clean failures, re-issued successfully 1–6 days later (99.95 % success, 日销号、周反馈). */
  failReissued: 0.0005,
  /** R18 paid 46–105 days after the end of its period. */
  R18: 0.0003,
  /** R20 detail with no voucher and no plan. */
  R20: 0.00015,
  /** R10 holder mismatch: share of enrollments whose card the bank reports under another holder. */
  R10: 0.001,
  /** R16 refunds: returned by the bank (退回) and never re-issued. */
  R16: 0.00005,
  /** R24 age over the limit: a birth date typed as 1903-01-01 on one record of an all-ages item. */
  R24: 0.000002,
  /** Share of clean failures that are returns (退回) rather than failures (失败); both re-issued. */
  returned: 0.3,
}

/**
 * Near misses (decoys, table `decoy`): rows a correct rule must not flag, in their own slices after
 * the anomalies'. D05 paid one yuan under standard × quantity; D23 paid 52 % of the usual amount
 * (48 % off the median, inside the 50 % ratio); D15 failed and re-issued exactly 7 days later (the
 * last day of the week); D18 paid exactly latePaymentDays after its period's last day.
 */
export const rowDecoyRates = { D05: 0.0001, D23: 0.0001, D15: 0.00005, D18: 0.0001 }

/** Records stopped by the pre-review checks: 28 万 of 3985 万 (DOMAIN.md). */
export const PREREVIEW_RATE = 280_000 / 39_850_000

const failureReasons = ['账户已销户', '户名与账号不符', '卡片挂失', '账户冻结', '非正常状态账户']

export function paymentParams(plan: Plan, p: number) {
  const counties = Object.keys(countyShares)
  const r = rowAnomalyRates
  // R23 and R18 only apply to some rows (≥ 5 payments; ageMax 120, alive), so small runs get more.
  const d = rowDecoyRates
  const slices = [r.R05, r.R23, r.R15, r.failReissued, r.R18, r.R20, d.D05, d.D23, d.D15, d.D18, r.R16, r.R24]
    .map((rate, i) => atLeast(rate, i === 1 || i === 4 ? 12 : i === 7 || i === 9 || i === 10 ? 8 : i === 11 ? 3 : 5, plan.payments))
  const edges = slices.reduce<number[]>((acc, v) => [...acc, (acc.at(-1) ?? 0) + v * 1e6], [])
  return {
    ...enrollmentParams(plan), ...chainParams(), p, banks: [...banks], reasons: failureReasons,
    countyCodes: counties, countyNames: counties.map((c) => getRegion(c)!.name),
    edges, entitlements: ['P11', 'P12', 'P13', 'P20', 'P61', 'P62', 'P63', 'P64'], r10: atLeast(r.R10, 4, plan.persons * 1.5), prereview: PREREVIEW_RATE, returned: r.returned, lateDays: ruleThresholds.latePaymentDays, reissueDays: ruleThresholds.reissueWithinDays,
    // A late payment lands up to lateDays + 61 days after its month's last day: only months whose
    // latest such day has passed may carry one (a demo window ends now; none may lie in the future).
    lateLatest: new Date(Date.now() - (ruleThresholds.latePaymentDays + 61 + 31 + 1) * 86_400_000).toISOString().slice(0, 10),
  }
}

/** Every payment row with its anomaly label; `rule` and `note` are '' for clean rows. */
export const expansionSql = `
  SELECT *,
    concat('D', toString(period), leftPad(toString(eid), 10, '0'), if(variant = 1, 'R', '')) AS detail_id,
    concat('SEED-', toString(period)) AS batch_id,
    code AS project_code,
    concat(transform(county, {countyCodes:Array(String)}, {countyNames:Array(String)}, ''), unit) AS paying_unit,
    county AS county_code, town AS town_code, village AS village_code,
    concat('H', county, leftPad(toString(hh), 8, '0')) AS household_id,
    if(gender_code = 1, '男', '女') AS gender, if(rule = 'R24', toDate32('1903-01-01'), birth) AS birth_date,
    if(isR10, concat({fam:Array(String)}[cityHash64({seed:UInt64}, 'r10n', eid) % length({fam:Array(String)}) + 1], '某某'), person_name) AS account_holder,
    if(isR10, concat(holder17, ${idCheck('holder17')}), id_number) AS holder_id_number,
    qty AS base_quantity, toDecimal64(std, 2) AS standard,
    toDecimal64(multiIf(rule = 'R05', due + greatest(toDecimal64(0.01, 2), toDecimal64(floor(toFloat64(due) * (0.1 + 0.3 * u), 2), 2)),
                        rule = 'D05', due - 1, due), 2) AS amount_due,
    multiIf(variant = 0 AND failed, toDecimal64(0, 2), rule = 'R23', toDecimal64(floor(toFloat64(due) * (0.3 + 0.15 * u), 2), 2),
            rule = 'D23', toDecimal64(ceil(toFloat64(due) * 0.52, 2), 2), amount_due) AS amount_paid,
    if(variant = 0 AND failed,
       if(rowRule = 'R16' OR rowRule = '' AND intDiv(hr, 1000000000) % 1000 < {returned:Float64} * 1000, '退回', '失败'), '成功') AS status,
    if(variant = 0 AND failed, {reasons:Array(String)}[hr % 5 + 1], '') AS failure_reason,
    if(variant = 1, concat('D', toString(period), leftPad(toString(eid), 10, '0')), '') AS reissue_of,
    if(rule = 'R20', '', concat('PL', county, code, toString(period))) AS plan_id,
    if(rule = 'R20', '', concat('V', county, code, toString(toYYYYMMDD(toDate(pay_time))), toString(indexOf({banks:Array(String)}, bank)), if(rule IN ('R18', 'D18'), 'L', ''))) AS voucher_id,
    ${indicatorDoc('county', 'j', 'intDiv(period, 100)')} AS indicator_doc,
    fund AS fund_level, proxy AS proxy_held, proxy_id AS proxy_holder_id, proxy_name AS proxy_holder_name,
    t0 AS applied_at, t1 AS village_reviewed_at, t2 AS town_reviewed_at, t3 AS county_decided_at, t4 AS city_managed_at,
    if(village_reviewed = 1, toDate(t1), NULL) AS publicity_start, if(village_reviewed = 1, toDate(t1) + 7, NULL) AS publicity_end,
    -- A record one of the 124 pre-review checks stopped before payment (then corrected and paid):
    -- the article's 28 万 intercepted in 3985 万. Only clean rows, so no rule sees a hit as a case.
    CAST(if(rule = '' AND variant = 0 AND intDiv(hr, 1000) % 1000000 < {prereview:Float64} * 1e6,
            arrayMap(i -> concat('QZ', leftPad(toString(1 + cityHash64({seed:UInt64}, 'qz', eid, mi, i) % 124), 3, '0')), range(1 + intDiv(hr, 7) % 2)),
            []), 'Array(LowCardinality(String))') AS prereview_hits
  FROM (
  SELECT *, arrayJoin(if(failed AND rowRule NOT IN ('R15', 'R16'), [0, 1], [0])) AS variant,
       if(variant = 1, '', rowRule) AS rule,
       multiIf(rule = 'R18', addDays(toLastDayOfMonth(${monthStart('mi')}), {lateDays:UInt16} + 1 + hr % 60),
          rule = 'D18', addDays(toLastDayOfMonth(${monthStart('mi')}), {lateDays:UInt16}),
          ${payDate('county', 'j', 'mi')}) AS payDay,
       addSeconds(toDateTime(payDay, 'Asia/Shanghai'), 9 * 3600 + intDiv(hr, 1000000000) % 28800
                  + if(variant = 1, 86400 * if(rowRule = 'D15', {reissueDays:UInt16}, 1 + hr % 6), 0)) AS pay_time
  FROM (
  SELECT *, m AS mi, code IN {entitlements:Array(String)} AND m >= {W:UInt16} - 12 AS lateEntitlement, cityHash64({seed:UInt64}, 'row', eid, m) AS hr, hr % 1000000 AS rr, intDiv(hr, 1000000) % 1000 / 1000 AS u,
       if(code = '${PENSION_CODE}', ${pensionStandard('m')}, std0) AS std, std * qty AS due,
       multiIf(isR10, 'R10',
               rr < {edges:Array(Float64)}[1], 'R05',
               rr < {edges:Array(Float64)}[2] AND n >= 5, 'R23',
               -- no lost payment (R15, R16) on an entitlement item (高龄, 护理, 教育) in the last year: it
               -- would make its person a 政策找人 case the generator did not plant (seen at demo scale)
               rr >= {edges:Array(Float64)}[2] AND rr < {edges:Array(Float64)}[3] AND NOT lateEntitlement, 'R15',
               rr >= {edges:Array(Float64)}[4] AND rr < {edges:Array(Float64)}[5] AND hi >= 120 AND dead = 0 AND ${monthStart('m')} <= {lateLatest:Date}, 'R18',
               rr >= {edges:Array(Float64)}[5] AND rr < {edges:Array(Float64)}[6], 'R20',
               rr >= {edges:Array(Float64)}[6] AND rr < {edges:Array(Float64)}[7] AND due > 2, 'D05',
               rr >= {edges:Array(Float64)}[7] AND rr < {edges:Array(Float64)}[8] AND n >= 5, 'D23',
               rr >= {edges:Array(Float64)}[8] AND rr < {edges:Array(Float64)}[9], 'D15',
               rr >= {edges:Array(Float64)}[9] AND rr < {edges:Array(Float64)}[10] AND hi >= 120 AND dead = 0 AND ${monthStart('m')} <= {lateLatest:Date}, 'D18',
               rr >= {edges:Array(Float64)}[10] AND rr < {edges:Array(Float64)}[11] AND ${monthStart('m')} <= {lateLatest:Date} AND NOT lateEntitlement, 'R16',
               -- at most 120 on the 1st of any period up to 2023-12 (no R06 case), over 120 from 2024
               rr >= {edges:Array(Float64)}[11] AND rr < {edges:Array(Float64)}[12] AND hi >= 120 AND ${monthStart('m')} < toDate('2024-01-01'), 'R24',
               '') AS rowRule,
       NOT isR10 AND (rr >= {edges:Array(Float64)}[2] AND rr < {edges:Array(Float64)}[4] OR rowRule IN ('D15', 'R16')) AS failed,
       toYYYYMM(${monthStart('m')}) AS period
  FROM (
    SELECT e.eid AS eid, e.pid AS pid, e.j AS j, e.n AS n, e.months AS months, e.ustd AS ustd,
           p.hh AS hh, p.county AS county, p.town AS town, p.village AS village, p.person_name AS person_name, p.id_number AS id_number,
           p.gender_code AS gender_code, p.birth AS birth, p.card_number AS card_number, p.bank AS bank, p.phone AS phone, p.land AS land,
           p.dead AS dead, p.proxy AS proxy, p.proxy_id AS proxy_id, p.proxy_name AS proxy_name,
           pr.code AS code, pr.dept AS dept, pr.unit AS unit, pr.fund AS fund, pr.basis AS basis, pr.pop AS pop, pr.amin AS amin, pr.amax AS amax,
           pr.hi AS hi, pr.village_reviewed AS village_reviewed,
           ${standardAt('{p:Float64}')} AS std0, ${quantity} AS qty,
           cityHash64({seed:UInt64}, 'r10', e.eid) % 1000000 < {r10:Float64} * 1e6 AS isR10,
           concat(county, toString(toYYYYMMDD(addDays(p.birth, 3000 + cityHash64({seed:UInt64}, 'r10b', e.eid) % 6000))), toString(800 + e.eid % 200)) AS holder17,
           ${payDate('county', 'e.j', 'e.months[1]')} AS firstPay,
           cityHash64({seed:UInt64}, 'wf', e.eid) AS hw,
           addSeconds(toDateTime(subtractDays(firstPay, 32 + hw % 25), 'Asia/Shanghai'), 8 * 3600 + hw % 36000) AS t0,
           addSeconds(addDays(t0, 1 + intDiv(hw, 7) % 6), intDiv(hw, 11) % 7200) AS t1,
           addSeconds(addDays(t1, 1 + intDiv(hw, 13) % 6), intDiv(hw, 17) % 7200) AS t2,
           addSeconds(addDays(t2, 1 + intDiv(hw, 19) % 9), intDiv(hw, 23) % 7200) AS t3,
           addSeconds(addDays(t3, 1 + intDiv(hw, 29) % 4), intDiv(hw, 31) % 7200) AS t4
    FROM sim_enroll AS e
    INNER JOIN sim_person AS p ON p.pid = e.pid
    INNER JOIN sim_proj AS pr ON pr.j = e.j)
  ARRAY JOIN months AS m))`

const columns = `detail_id, batch_id, period, project_code, dept, paying_unit, county_code, town_code, village_code, household_id,
  person_name, id_number, gender, birth_date, card_number, account_holder, holder_id_number, bank, phone, base_quantity, standard,
  amount_due, amount_paid, pay_time, status, failure_reason, reissue_of, plan_id, voucher_id, indicator_doc, fund_level, proxy_held,
  proxy_holder_id, proxy_holder_name, applied_at, village_reviewed_at, town_reviewed_at, county_decided_at, city_managed_at,
  publicity_start, publicity_end, prereview_hits`

/** Band position p (0..1) at which the clean total meets the article's amount, from one pass over a grid. */
export async function solveBandPosition(db: Db, plan: Plan): Promise<number> {
  const grid = Array.from({ length: 21 }, (_, i) => i / 20)
  const result = await db.client.query({
    query: `SELECT sumForEach(arrayMap(p -> n * toFloat64(qty) * ${standardAt('p')}, {grid:Array(Float64)}))
            FROM (SELECT e.n AS n, e.ustd AS ustd, e.pid AS pid, e.j AS j, p.land AS land, pr.amin AS amin, pr.amax AS amax, pr.basis AS basis, pr.pop AS pop,
                         ${quantity} AS qty
                  FROM sim_enroll AS e INNER JOIN sim_person AS p ON p.pid = e.pid INNER JOIN sim_proj AS pr ON pr.j = e.j)`,
    query_params: { seed: plan.seed, grid, ...periodDates(plan) },
    format: 'JSONCompactEachRow',
  })
  const totals = ((await result.json<[number[]][]>())[0][0]).map(Number)
  const target = plan.amountYuan
  if (target <= totals[0]) return 0
  for (let i = 1; i < grid.length; i++) {
    if (totals[i] >= target) return grid[i - 1] + ((target - totals[i - 1]) / (totals[i] - totals[i - 1])) * (grid[i] - grid[i - 1])
  }
  return 1
}

export async function insertPayments(db: Db, plan: Plan, p: number, names: { fam: string[] }, table = 'payment_detail', markers = false): Promise<void> {
  const params = { ...paymentParams(plan, p), ...names }
  // With markers, each row's planted label (an anomaly R…, a near miss D…, '' when clean) goes to the
  // staging table's MARKER_COLUMN: the ground truth is read from it, never from the rule's condition.
  const insertColumns = markers ? `${columns}, ${MARKER_COLUMN}` : columns
  const selectColumns = markers ? `${columns}, rule AS ${MARKER_COLUMN}` : columns
  await db.client.command({
    // Large insert blocks: each block is one part in payment_detail and in each of the four rollups,
    // so 1 M-row blocks cut the parts (and their merges) ~15× against the default 65 k-row blocks.
    query: `INSERT INTO ${quoteIdentifier(table)} (${insertColumns}) SELECT ${selectColumns} FROM (${expansionSql})
            SETTINGS min_insert_block_size_rows = 1048576, min_insert_block_size_bytes = 0, parallel_view_processing = 1`,
    query_params: params,
  })
}

export { scalar }

/** Staging-only column holding each generated row's planted label; dropped before the rows go live. */
export const MARKER_COLUMN = 'sim_rule'

export async function addMarkerColumn(db: Db, table: string): Promise<void> {
  await db.client.command({ query: `ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN IF NOT EXISTS ${MARKER_COLUMN} LowCardinality(String) DEFAULT ''` })
}

export async function dropMarkerColumn(db: Db, table: string): Promise<void> {
  await db.client.command({ query: `ALTER TABLE ${quoteIdentifier(table)} DROP COLUMN IF EXISTS ${MARKER_COLUMN}` })
}

/**
 * Ground truth and near misses of the row anomalies, from the labels the expansion planted (the
 * marker column), not from the rows' values: a rule that reads the values differently than the
 * generator meant shows up as a miss or a flagged decoy.
 */
export async function insertRowGroundTruth(db: Db, table: string): Promise<void> {
  const staged = quoteIdentifier(table)
  const notes = `transform(${MARKER_COLUMN}, ['R10', 'R05', 'R23', 'R15', 'R18', 'R20', 'R16', 'R24', 'D05', 'D23', 'D15', 'D18'],
      ['银行返回户名/证件与对象不符', '超标准发放', '金额较本人中位数突变', '发放失败未重发', '超期发放', '明细无凭证无计划', '退回资金闲置', '年龄超过上限',
       '比标准×基数少 1 元', '低于中位数 48%（比例以内）', '第 7 天重发成功', '期末后恰好第 45 天发放'], '')`
  await db.client.command({
    query: `INSERT INTO ground_truth (rule_id, case_key, detail_id, note, branch)
            SELECT ${MARKER_COLUMN}, multiIf(${MARKER_COLUMN} = 'R20', concat('detail:', detail_id), ${MARKER_COLUMN} = 'R16', voucher_id,
                                             ${MARKER_COLUMN} = 'R24', id_number, detail_id),
                   detail_id, ${notes} AS note, if(${MARKER_COLUMN} IN ('R20', 'R16', 'R24'), note, '')
            FROM ${staged} WHERE ${MARKER_COLUMN} LIKE 'R%'`,
  })
  await db.client.command({
    query: `INSERT INTO decoy (rule_id, branch, case_key, detail_id, note)
            SELECT concat('R', substring(${MARKER_COLUMN}, 2)), '', detail_id, detail_id, ${notes}
            FROM ${staged} WHERE ${MARKER_COLUMN} LIKE 'D%'`,
  })
}
