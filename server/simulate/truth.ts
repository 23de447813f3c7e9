import type { Db } from '../db/client'
import { ruleThresholds } from '../catalogue/thresholds'
import { WINDOW_MONTHS, atLeast, type Plan } from './params'
import { periodDates } from './sqlDates'
import { plantDecoys } from './decoys'

/**
 * The remaining injections and their ground truth. Deaths (R01) and stalled applications (R17) are
 * injected here; for R09, R11, R21, R22 and R25 the anomaly was planted while building people
 * and cards, and the ground truth is still the rule's definition (ANOMALIES.md) evaluated on the
 * final tables; R24 comes from the planted marker (sim_person.dq). The near misses of decoys.ts are
 * planted here too, before R25's suspects are read.
 */
export const truthRates = { R01: 0.0015, R17: 0.0004 }

export async function injectAndRecordTruth(db: Db, plan: Plan): Promise<void> {
  const t = ruleThresholds
  const params = {
    seed: plan.seed, ...periodDates(plan), W: WINDOW_MONTHS,
    R01: atLeast(truthRates.R01, 4, plan.persons * 0.3), R17: atLeast(truthRates.R17, 3, plan.persons), grace: t.afterDeathGraceDays, phoneMin: t.sharedPhoneMinPeople,
    dormant: t.dormantMonths, proxyMax: t.proxyMaxCards, R22cadre: Math.max(3, Math.round(30 * plan.fraction)), sla: Object.values(t.approvalSlaDays), slaNodes: Object.keys(t.approvalSlaDays),
  }
  const run = (query: string) => db.client.command({ query, query_params: params })
  const truth = 'INSERT INTO ground_truth (rule_id, case_key, detail_id, note)'

  // R01: a death reported for someone still paid: 1–3 monthly payments fall after the death month.
  await run(`INSERT INTO ref_death (id_number, death_date, source)
    SELECT p.id_number, addDays(addMonths({startDate:Date}, e.months[e.n - 1 - toInt32(cityHash64({seed:UInt64}, 'r01k', e.pid) % 3)] - 1), 1 + cityHash64({seed:UInt64}, 'r01d', e.pid) % 26), '公安户籍'
    FROM sim_enroll AS e INNER JOIN sim_person AS p ON p.pid = e.pid
    WHERE NOT p.dead AND e.n >= 6 AND e.j IN (SELECT j FROM sim_proj WHERE freq = 'monthly')
      AND cityHash64({seed:UInt64}, 'r01', e.pid) % 1000000 < {R01:Float64} * 1e6
    LIMIT 1 BY e.pid`)
  await run(`${truth.replace('note)', 'note, branch)')} SELECT 'R01', detail_id, detail_id, '死亡后仍发放',
           if(d.project_code IN (SELECT code FROM sim_proj WHERE freq = 'monthly'), '按月项目死亡次月后发放', '其他项目死亡30天后发放')
    FROM payment_detail AS d INNER JOIN ref_death AS x ON x.id_number = d.id_number
    WHERE d.status = '成功' AND if(d.project_code IN (SELECT code FROM sim_proj WHERE freq = 'monthly'),
                                   d.period > toYYYYMM(x.death_date), toDate(d.pay_time) > x.death_date + {grace:UInt16})`)

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
  await run(`${truth} SELECT 'R17', concat(application_id, '|', ['村评', '镇审', '县定', '市管'][max(toUInt8(node))]), '', '审批超时未办结'
    FROM workflow_event WHERE application_id LIKE 'SQ______S%' GROUP BY application_id`)

  // R09: one card used by people of two or more households.
  await run(`${truth} SELECT 'R09', card_number, any(detail_id), '一卡多人' FROM payment_detail
    GROUP BY card_number HAVING uniqExact(id_number) >= 2 AND uniqExact(household_id) >= 2`)
  // R11: one phone reserved for ≥ N beneficiaries across households.
  await run(`${truth} SELECT 'R11', phone, '', '多人共用预留手机号' FROM beneficiary
    GROUP BY phone HAVING uniqExact(id_number) >= {phoneMin:UInt8} AND uniqExact(household_id) >= 2`)
  // R24: bad check digit, or a gender digit that contradicts the recorded gender.
  await run(`${truth} SELECT 'R24', id_number, '', if(dq = 1, '身份证校验位错误', '性别与身份证不符') FROM sim_person
    WHERE dq > 0 AND id_number IN (SELECT id_number FROM beneficiary)`)
  // R21: ≥ 12 distinct months credited since the last withdrawal (ever, if none).
  await run(`${truth} SELECT 'R21', d.card_number, '', '长期只进不出' FROM payment_detail AS d
    INNER JOIN card_activity AS c ON c.card_number = d.card_number
    WHERE d.status = '成功' AND (c.last_withdrawal IS NULL OR toDate(d.pay_time) > c.last_withdrawal)
    GROUP BY d.card_number HAVING uniqExact(toYYYYMM(d.pay_time)) >= {dormant:UInt8}`)
  // R22's third branch: a few approved relatives who hold one card are (also) village cadres.
  await run(`INSERT INTO ref_official (id_number, kind, related_cadre, village_code, since)
    SELECT proxy_holder_id, '村干部', '', any(village_code), toDate('2018-01-01') FROM payment_detail
    WHERE proxy_held = 1 AND proxy_holder_id != '' GROUP BY proxy_holder_id HAVING uniqExact(card_number) = 1
    ORDER BY cityHash64({seed:UInt64}, 'r22c', proxy_holder_id) LIMIT {R22cadre:UInt32}`)
  // R22: a proxy holder without approval, holding ≥ N cards, or a village cadre.
  await run(`${truth.replace('note)', 'note, branch)')} SELECT 'R22', proxy_holder_id, '', '代管代持异常',
           multiIf(proxy_holder_id IN (SELECT id_number FROM ref_official WHERE kind = '村干部'), '村干部代管',
                   min(c.proxy_approved) = 0, '未备案代管', '一人代管多卡')
    FROM payment_detail AS d
    LEFT JOIN card_activity AS c ON c.card_number = d.card_number
    WHERE d.proxy_held = 1 GROUP BY proxy_holder_id
    HAVING min(c.proxy_approved) = 0 OR uniqExact(d.card_number) >= {proxyMax:UInt8}
        OR proxy_holder_id IN (SELECT id_number FROM ref_official WHERE kind = '村干部')`)
  // R08 is attention, not a verdict: every cadre or relative paid a village-reviewed item is a case,
  // including those whose household is entitled to it anyway; record them by the definition.
  await run(`${truth} SELECT 'R08', concat(id_number, '|', project_code), any(detail_id), '村干部及近亲属享受村评项目'
    FROM payment_detail
    WHERE status = '成功' AND project_code IN (SELECT code FROM sim_proj WHERE village_reviewed = 1)
      AND id_number IN (SELECT id_number FROM ref_official WHERE kind IN ('村干部', '村干部亲属'))
      AND concat(id_number, '|', project_code) NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R08')
    GROUP BY id_number, project_code`)
  await plantDecoys(db, plan)
  await insertPolicySuspects(db, params)
}

/**
 * R25 (政策找人) by its definition at the window's end: alive (no death record), and
 * - 高龄津贴: ≥ 80 on the 1st of the last month, no 高龄 payment in the last two months;
 * - 护理补贴: disability grade 1–2, no 重度残疾人护理补贴 (P20) in the last two months;
 * - 教育资助: 3–18 on 1 September of the last school year, of a 低保/特困 household or one with a
 *   disabled member, no P61/P62/P63/P64 payment in that school year.
 */
async function insertPolicySuspects(db: Db, params: Record<string, unknown>): Promise<void> {
  const last = `addMonths({startDate:Date}, {W:UInt16} - 1)`
  const recent = `toYYYYMM(pay_time) >= toYYYYMM(addMonths(${last}, -1)) AND status = '成功'`
  const schoolStart = `makeDate(if(toMonth(${last}) >= 9, toYear(${last}), toYear(${last}) - 1), 9, 1)`
  await db.client.command({
    query: `INSERT INTO ground_truth (rule_id, case_key, detail_id, note, branch)
      SELECT 'R25', concat(id_number, '|', kind), '', '符合条件未享受', kind FROM (
        SELECT b.id_number, '高龄津贴' AS kind FROM beneficiary AS b
        WHERE age('year', b.birth_date, ${last}) >= 80
          AND b.id_number NOT IN (SELECT id_number FROM payment_detail WHERE project_code IN ('P11', 'P12', 'P13') AND ${recent})
        UNION ALL
        SELECT b.id_number, '护理补贴' FROM beneficiary AS b
        WHERE b.id_number IN (SELECT id_number FROM ref_disability WHERE grade IN (1, 2))
          AND b.id_number NOT IN (SELECT id_number FROM payment_detail WHERE project_code = 'P20' AND ${recent})
        UNION ALL
        SELECT b.id_number, '教育资助' FROM beneficiary AS b INNER JOIN household AS h ON h.household_id = b.household_id
        WHERE age('year', b.birth_date, ${schoolStart}) BETWEEN 3 AND 18
          AND (h.is_dibao OR h.is_tekun OR b.household_id IN (SELECT household_id FROM beneficiary WHERE id_number IN (SELECT id_number FROM ref_disability)))
          AND b.id_number NOT IN (SELECT id_number FROM payment_detail WHERE project_code IN ('P61', 'P62', 'P63', 'P64')
                                    AND status = '成功' AND toDate(pay_time) >= ${schoolStart})
      ) WHERE id_number NOT IN (SELECT id_number FROM ref_death)`,
    query_params: params,
  })
}
