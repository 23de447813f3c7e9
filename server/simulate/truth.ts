import type { Db } from '../db/client'
import { ruleThresholds } from '../catalogue/thresholds'
import { WINDOW_MONTHS, atLeast, type Plan } from './params'
import { periodDates } from './sqlDates'
import { plantDecoys } from './decoys'
import { enrollmentParams } from './enrollments'

/**
 * The remaining injections and their ground truth. Every case recorded here is one the generator
 * planted, read from its own plan (sim_person, sim_enroll, the rows it chose), never from a rule's
 * condition re-run on the final tables: deaths (R01), stalled applications (R17), shared cards (R09,
 * planted in population.ts), phone groups (R11), cadre holders (R22), cadres on village-reviewed
 * items (R08) and the 政策找人 people whose items were cut (R25). R21 and R22's other branches are
 * recorded in people.ts where the cards are made; R24 comes from sim_person.dq. The near misses of
 * decoys.ts are planted here too.
 */
export const truthRates = { R01: 0.0015, R01other: 0.0005, R17: 0.0004 }

/** Payment ids are `D<period><eid padded to 10>` (+ `R` for a re-issue, `X…` for an injected copy). */
const baseDetailId = (period: string, eid: string) => `concat('D', toString(${period}), leftPad(toString(${eid}), 10, '0'))`

export async function injectAndRecordTruth(db: Db, plan: Plan): Promise<void> {
  const t = ruleThresholds
  const params = {
    seed: plan.seed, ...periodDates(plan), W: WINDOW_MONTHS,
    R01: atLeast(truthRates.R01, 4, plan.persons * 0.3), R01other: atLeast(truthRates.R01other, 3, plan.persons * 0.05),
    R17: atLeast(truthRates.R17, 3, plan.persons), grace: t.afterDeathGraceDays,
    R22cadre: Math.max(3, Math.round(30 * plan.fraction)), r25: enrollmentParams(plan).r25, phoneMin: t.sharedPhoneMinPeople,
  }
  const run = (query: string) => db.client.command({ query, query_params: params })
  const truth = 'INSERT INTO ground_truth (rule_id, case_key, detail_id, note, branch)'

  // R01: a death reported (公安户籍) for someone still paid. Two plants, each on people the copies,
  // late payments and month-crossing re-issues left alone (their every payment is one of the plan's):
  // - monthly items only: the death falls in the month 1–3 payments before the last; the payments of
  //   every later month stay (case: each of them);
  // - one non-monthly item (≥ 2 payments): the death is 31–50 days before the last payment.
  await run('DROP TABLE IF EXISTS sim_r01')
  await run(`CREATE TABLE sim_r01 ENGINE = Memory AS
    WITH untouched AS (SELECT pid FROM sim_person WHERE NOT dead AND id_number NOT IN (
                         SELECT id_number FROM payment_detail WHERE match(detail_id, '[XY]') OR toYYYYMM(pay_time) != period))
    SELECT e.pid AS pid, any(p.id_number) AS id_number, '按月项目死亡次月后发放' AS branch,
           any(e.months[e.n - toInt32(1 + cityHash64({seed:UInt64}, 'r01k', e.pid) % 3)]) AS death_month,
           addDays(addMonths({startDate:Date}, death_month), cityHash64({seed:UInt64}, 'r01d', e.pid) % 28) AS death_date
    FROM sim_enroll AS e INNER JOIN sim_person AS p ON p.pid = e.pid
    WHERE e.pid IN untouched AND e.n >= 6 AND cityHash64({seed:UInt64}, 'r01', e.pid) % 1000000 < {R01:Float64} * 1e6
      AND e.pid NOT IN (SELECT pid FROM sim_enroll WHERE j IN (SELECT j FROM sim_proj WHERE freq != 'monthly'))
    GROUP BY e.pid`)
  await run(`INSERT INTO sim_r01
    SELECT e.pid, p.id_number, '其他项目死亡30天后发放', e.months[e.n], subtractDays(toDate(d.pay_time), 31 + cityHash64({seed:UInt64}, 'r01o', e.pid) % 20)
    FROM sim_enroll AS e INNER JOIN sim_person AS p ON p.pid = e.pid
    INNER JOIN payment_detail AS d ON d.detail_id = ${baseDetailId('toYYYYMM(addMonths({startDate:Date}, e.months[e.n]))', 'e.eid')}
    WHERE e.pid IN (SELECT pid FROM sim_person WHERE NOT dead AND id_number NOT IN (
                      SELECT id_number FROM payment_detail WHERE match(detail_id, '[XY]') OR toYYYYMM(pay_time) != period))
      AND e.n >= 2 AND e.j IN (SELECT j FROM sim_proj WHERE freq != 'monthly')
      AND e.pid IN (SELECT pid FROM sim_enroll GROUP BY pid HAVING count() = 1) AND e.pid NOT IN (SELECT pid FROM sim_r01)
      AND cityHash64({seed:UInt64}, 'r01b', e.pid) % 1000000 < {R01other:Float64} * 1e6`)
  await run(`INSERT INTO ref_death (id_number, death_date, source) SELECT id_number, death_date, '公安户籍' FROM sim_r01`)
  await run(`${truth} SELECT 'R01', d.detail_id, d.detail_id, '死亡后仍发放', planned.branch
    FROM payment_detail AS d
    INNER JOIN (SELECT ${baseDetailId('toYYYYMM(addMonths({startDate:Date}, m))', 'e.eid')} AS base, r.branch AS branch
                FROM sim_enroll AS e INNER JOIN sim_r01 AS r ON r.pid = e.pid ARRAY JOIN e.months AS m
                WHERE m > r.death_month OR (r.branch != '按月项目死亡次月后发放' AND m = r.death_month)) AS planned
      ON planned.base = substring(d.detail_id, 1, 17)
    WHERE d.status = '成功'`)

  // R17: applications stuck at a node past its SLA (no payment behind them). The last node was
  // reached 13–42 days before the history ends: longer than any SLA (≤ 10 days), with room for a
  // history whose newest payment is a day or two before its end, so each is a case whenever it is
  // judged. Judged soon after the end, some are still reminders (≤ 2× SLA) beside the
  // escalations, as on a real wall (60–260 days made every one an escalation).
  await run(`INSERT INTO workflow_event (application_id, node, at, project_code, county_code, town_code, village_code, id_number, actor, batch_id)
    SELECT concat('SQ', county, 'S', toString(pid)), ['户报', '村评', '镇审', '县定'][k], at, 'P02', county, town, village, id_number, '经办', 'SEED-WORKFLOW'
    FROM (SELECT *, cityHash64({seed:UInt64}, 'r17', pid) AS h, 1 + h % 4 AS reached,
                 addSeconds(toDateTime(subtractDays({endDate:Date}, 13 + intDiv(h, 10) % 30 + 2 * (reached - 1)), 'Asia/Shanghai'), 32400) AS t0
          FROM sim_person WHERE h % 1000000 < {R17:Float64} * 1e6)
    ARRAY JOIN arrayMap(i -> i + 1, range(reached)) AS k, arrayMap(i -> t0 + i * 2 * 86400, range(reached)) AS at`)
  await run(`${truth} SELECT 'R17', concat(application_id, '|', ['村评', '镇审', '县定', '市管'][max(toUInt8(node))]), '', '审批超时未办结', ''
    FROM workflow_event WHERE application_id LIKE 'SQ______S%' GROUP BY application_id`)

  // R09: a person paid onto the card of someone 200–700 people away (another household) who uses
  // their own card; both paid. Planted in population.ts (shares_card, card_pid).
  await run(`${truth} SELECT DISTINCT 'R09', a.card_number, '', '一卡多人', '' FROM sim_person AS a
    INNER JOIN sim_person AS o ON o.pid = a.card_pid
    WHERE a.shares_card AND o.card_pid = o.pid
      AND a.pid IN (SELECT pid FROM sim_enroll) AND o.pid IN (SELECT pid FROM sim_enroll)`)
  // R11: the planted phone groups of threshold + 2 people (one per household); a group is planted
  // when at least the threshold of its people were paid (someone never paid has no phone on record).
  await run(`${truth} SELECT 'R11', phone, '', '多人共用预留手机号', '' FROM sim_person
    WHERE phone_group = 1 GROUP BY phone HAVING countIf(pid IN (SELECT pid FROM sim_enroll)) >= {phoneMin:UInt8}`)
  // R24: bad check digit, or a gender digit that contradicts the recorded gender.
  await run(`${truth} SELECT 'R24', id_number, '', if(dq = 1, '身份证校验位错误', '性别与身份证不符') AS note, note FROM sim_person
    WHERE dq > 0 AND id_number IN (SELECT id_number FROM beneficiary)`)
  // R22's third branch: a few approved relatives who hold one card are (also) village cadres.
  await run('DROP TABLE IF EXISTS sim_r22c')
  await run(`CREATE TABLE sim_r22c ENGINE = Memory AS
    SELECT proxy_holder_id AS id_number, any(village_code) AS village_code FROM payment_detail
    WHERE proxy_held = 1 AND proxy_holder_id != '' AND proxy_holder_id NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R22')
    GROUP BY proxy_holder_id HAVING uniqExact(card_number) = 1
    ORDER BY cityHash64({seed:UInt64}, 'r22c', proxy_holder_id) LIMIT {R22cadre:UInt32}`)
  await run(`INSERT INTO ref_official (id_number, kind, related_cadre, village_code, since)
    SELECT id_number, '村干部', '', village_code, toDate('2018-01-01') FROM sim_r22c`)
  await run(`${truth} SELECT 'R22', id_number, '', '代管代持异常', '村干部代管' FROM sim_r22c`)
  await run('DROP TABLE sim_r22c')
  // R08 is attention, not a verdict: besides the injected copies (copies.ts), the generator gives
  // grade 1–2 disabled people of cadre households 重度残疾人护理补贴 (and other eligibility-driven
  // items): village-reviewed items it paid to registered cadres and relatives (≥ 16) are cases too.
  await run(`${truth} SELECT DISTINCT 'R08', concat(p.id_number, '|', pr.code), '', '村干部及近亲属享受村评项目', ''
    FROM sim_enroll AS e INNER JOIN sim_person AS p ON p.pid = e.pid INNER JOIN sim_proj AS pr ON pr.j = e.j
    WHERE e.kind > 0 AND pr.village_reviewed = 1 AND p.cadre_hh AND (p.cadre OR p.age_end >= 16)
      AND p.hh IN (SELECT hh FROM sim_person WHERE cadre)
      AND (p.id_number, pr.code) IN (SELECT id_number, project_code FROM payment_detail WHERE status = '成功')
      AND concat(p.id_number, '|', pr.code) NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R08')`)
  await plantDecoys(db, plan)
  await insertPolicySuspects(db, params)
}

/**
 * R25 (政策找人): the people enrollments.ts planted (sim_enroll.r25: their 高龄 and 护理 items stop
 * 3–12 months before the end, education aid is never given), for each kind they are entitled to at
 * the window's end, if no death was recorded for them since:
 * - 高龄津贴: ≥ 80 on the 1st of the last month;
 * - 护理补贴: disability grade 1–2;
 * - 教育资助: 3–18 on 1 September of the last school year, of a 低保/特困 household or one with a
 *   disabled member.
 */
async function insertPolicySuspects(db: Db, params: Record<string, unknown>): Promise<void> {
  const last = `addMonths({startDate:Date}, {W:UInt16} - 1)`
  const schoolStart = `makeDate(if(toMonth(${last}) >= 9, toYear(${last}), toYear(${last}) - 1), 9, 1)`
  await db.client.command({
    query: `INSERT INTO ground_truth (rule_id, case_key, detail_id, note, branch)
      SELECT 'R25', concat(id_number, '|', kind), '', '符合条件未享受', kind FROM sim_person
      ARRAY JOIN arrayFilter(k -> k != '', [if(age('year', birth, ${last}) >= 80, '高龄津贴', ''),
                                            if(grade IN (1, 2), '护理补贴', ''),
                                            if(age('year', birth, ${schoolStart}) BETWEEN 3 AND 18 AND (dibao OR tekun OR hh_disabled), '教育资助', '')]) AS kind
      WHERE cityHash64({seed:UInt64}, 'r25', pid) % 1000000 < {r25:Float64} * 1e6
        AND pid IN (SELECT pid FROM sim_enroll) AND NOT dead AND id_number NOT IN (SELECT id_number FROM ref_death)`,
    query_params: params,
  })
}
