import type { Db } from '../db/client'
import { catalogueParams } from '../catalogue/projectFacts'
import { ruleThresholds } from '../catalogue/thresholds'
import { WINDOW_MONTHS, type Plan } from './params'
import { periodDates } from './sqlDates'

/**
 * Near misses planted after the payments are stored (the row-level ones, D05/D15/D18/D23, come
 * from the expansion in payments.ts). Each is a case a correct rule must NOT flag, recorded in
 * `decoy` with the case key the rule would use. Up to DECOYS_PER_KIND of each kind, picked by hash.
 */
const DECOYS_PER_KIND = 200

export async function plantDecoys(db: Db, plan: Plan): Promise<void> {
  const t = ruleThresholds
  const params = {
    seed: plan.seed, ...periodDates(plan), W: WINDOW_MONTHS, limit: DECOYS_PER_KIND,
    // Deaths change who is paid next month (the live feed pays no one dead): 0.2 % of people at most.
    deaths: Math.min(DECOYS_PER_KIND, Math.max(3, Math.round(plan.persons * 0.002))),
    otherDeaths: Math.min(DECOYS_PER_KIND, Math.max(3, Math.round(plan.persons * 0.0005))), grace: t.afterDeathGraceDays,
    sla: Object.values(t.approvalSlaDays), reliefProjects: catalogueParams().reliefProjects,
  }
  const run = (query: string) => db.client.command({ query, query_params: params })
  const decoy = 'INSERT INTO decoy (rule_id, branch, case_key, detail_id, note)'
  const byHash = (tag: string, column: string) => `ORDER BY cityHash64({seed:UInt64}, '${tag}', ${column}) LIMIT {limit:UInt32}`
  const last = `addMonths({startDate:Date}, {W:UInt16} - 1)`

  // R01: a death recorded 1–5 days after the person's last payment, which was paid in the last
  // month of the window: nothing is paid after the death.
  await run(`INSERT INTO ref_death (id_number, death_date, source)
    SELECT id_number, toDate(max(pay_time)) + 1 + cityHash64({seed:UInt64}, 'd01d', id_number) % 5, '民政殡葬'
    FROM payment_detail
    WHERE status = '成功' AND id_number NOT IN (SELECT id_number FROM ref_death)
      AND id_number NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R24')
    GROUP BY id_number HAVING toYYYYMM(max(pay_time)) = toYYYYMM(${last}) AND max(period) = toYYYYMM(${last})
    ORDER BY cityHash64({seed:UInt64}, 'd01', id_number) LIMIT {deaths:UInt32}`)
  await run(`${decoy} SELECT 'R01', '', d.detail_id, d.detail_id, '死亡登记在最后一次发放之后'
    FROM payment_detail AS d INNER JOIN (SELECT id_number, min(death_date) AS death_date FROM ref_death GROUP BY id_number) AS x ON x.id_number = d.id_number
    WHERE d.status = '成功' AND d.period = toYYYYMM(${last}) AND x.death_date BETWEEN toDate(d.pay_time) + 1 AND toDate(d.pay_time) + 5
      AND d.detail_id NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R01')`)

  // R01, other items: someone with one non-monthly item whose death is recorded exactly 30 days
  // before its last payment (paid on the 30th day: inside the grace, not after it).
  await run(`INSERT INTO ref_death (id_number, death_date, source)
    SELECT d.id_number, subtractDays(toDate(d.pay_time), {grace:UInt16}), '卫健死亡医学证明'
    FROM sim_enroll AS e INNER JOIN payment_detail AS d ON d.detail_id = concat('D', toString(toYYYYMM(addMonths({startDate:Date}, e.months[e.n]))), leftPad(toString(e.eid), 10, '0'))
    WHERE e.n >= 2 AND e.j IN (SELECT j FROM sim_proj WHERE freq != 'monthly') AND d.status = '成功'
      AND e.pid IN (SELECT pid FROM sim_enroll GROUP BY pid HAVING count() = 1)
      AND d.id_number NOT IN (SELECT id_number FROM ref_death)
      AND d.id_number NOT IN (SELECT id_number FROM payment_detail WHERE match(detail_id, '[XY]') OR toYYYYMM(pay_time) != period OR status != '成功')
    ORDER BY cityHash64({seed:UInt64}, 'd01o', e.pid) LIMIT {otherDeaths:UInt32}`)
  await run(`${decoy} SELECT 'R01', '其他项目死亡30天后发放', d.detail_id, d.detail_id, '死亡后第 30 天发放（宽限期内）'
    FROM payment_detail AS d INNER JOIN ref_death AS x ON x.id_number = d.id_number
    WHERE x.source = '卫健死亡医学证明' AND toDate(d.pay_time) = x.death_date + {grace:UInt16} AND d.status = '成功'`)

  // R02: a failed payment and its successful re-issue: one payment, not two.
  await run(`${decoy} SELECT 'R02', '', concat(id_number, '|', project_code, '|', toString(period)), detail_id, '失败后重发（一次发放）'
    FROM payment_detail WHERE reissue_of != '' AND status = '成功'
      AND concat(id_number, '|', project_code, '|', toString(period)) NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R02')
    ${byHash('d02', 'detail_id')}`)

  // R06: the first 高龄津贴(80-89岁) payment of someone who is exactly 80 on the 1st of that period.
  await run(`${decoy} SELECT 'R06', '', detail_id, detail_id, '当期首日恰满 80 周岁'
    FROM payment_detail
    WHERE project_code = 'P11' AND status = '成功'
      AND intDiv(toInt64(period) * 100 + 1 - toInt64(toYYYYMMDD(birth_date)), 10000) = 80
      AND detail_id NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R06')
    ${byHash('d06', 'detail_id')}`)

  // R07: officials paid an item that is not relief (a pension, land subsidy, …).
  await run(`${decoy} SELECT 'R07', '', concat(id_number, '|', project_code), any(detail_id), '公职人员领取非救助类补贴'
    FROM payment_detail
    WHERE status = '成功' AND project_code NOT IN {reliefProjects:Array(String)}
      AND id_number IN (SELECT id_number FROM ref_official WHERE kind IN ('公职人员', '财政供养人员'))
    GROUP BY id_number, project_code ${byHash('d07', 'concat(id_number, project_code)')}`)

  // R08: registered cadres and relatives paid an item the village does not review (a pension, …).
  await run(`${decoy} SELECT 'R08', '', concat(id_number, '|', project_code), any(detail_id), '村干部及亲属领取非村评项目'
    FROM payment_detail
    WHERE status = '成功' AND project_code IN (SELECT code FROM sim_proj WHERE village_reviewed = 0)
      AND id_number IN (SELECT id_number FROM ref_official WHERE kind IN ('村干部', '村干部亲属'))
    GROUP BY id_number, project_code ${byHash('d08', 'concat(id_number, project_code)')}`)

  // R09: a child paid onto its own household head's card (population.ts): one household.
  await run(`${decoy} SELECT DISTINCT 'R09', '', h.card_number, '', '同户子女使用户主的卡' FROM sim_person AS c
    INNER JOIN sim_person AS h ON h.pid = c.card_pid
    WHERE c.shares_card_hh AND h.card_pid = h.pid AND c.pid IN (SELECT pid FROM sim_enroll) AND h.pid IN (SELECT pid FROM sim_enroll)
      AND h.card_number NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R09')`)

  // R11: phone groups one person under the threshold, each in another household (population.ts).
  await run(`${decoy} SELECT DISTINCT 'R11', '', phone, '', '共用手机号人数比阈值少 1' FROM sim_person WHERE phone_group = 2`)

  // R24: valid IDs whose check character is X (an X is not an error).
  await run(`${decoy} SELECT 'R24', '身份证校验位错误', id_number, '', '校验位为 X 的正确身份证号' FROM beneficiary FINAL
    WHERE endsWith(id_number, 'X') AND id_number NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R24')
    ${byHash('d24', 'id_number')}`)

  // R10 and R22: proxy-held cards (代管代持) kept by an approved relative: the bank still returns the
  // beneficiary as holder, and the holder keeps one card.
  await run(`${decoy} SELECT 'R10', '', detail_id, detail_id, '代管卡，户名仍为本人'
    FROM payment_detail WHERE proxy_held = 1 AND holder_id_number = id_number AND account_holder = person_name
      AND detail_id NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R10')
    ${byHash('d10', 'detail_id')}`)
  await run(`${decoy} SELECT 'R22', '', proxy_holder_id, '', '已备案亲属代管一张卡'
    FROM payment_detail AS d INNER JOIN (SELECT card_number, proxy_approved FROM card_activity FINAL) AS c ON c.card_number = d.card_number
    WHERE d.proxy_held = 1 AND d.proxy_holder_id != ''
      AND d.proxy_holder_id NOT IN (SELECT case_key FROM ground_truth WHERE rule_id = 'R22')
    GROUP BY proxy_holder_id HAVING min(c.proxy_approved) = 1 AND uniqExact(d.card_number) = 1
    ${byHash('d22', 'proxy_holder_id')}`)

  // R17: applications that have waited exactly the next node's SLA on the newest payment day (the
  // back-test's day): due today, not yet overdue.
  await run(`INSERT INTO workflow_event (application_id, node, at, project_code, county_code, town_code, village_code, id_number, actor, batch_id)
    SELECT concat('SQ', county_code, 'N', toString(k0)), ['户报', '村评', '镇审', '县定'][k], at, 'P02', county_code, town_code, village_code, id_number, '经办', 'SEED-DECOY'
    FROM (SELECT *, rowNumberInAllBlocks() AS k0, 1 + cityHash64({seed:UInt64}, 'd17', id_number) % 4 AS reached,
                 (SELECT toDate(max(pay_time)) FROM payment_detail) AS day,
                 addSeconds(toDateTime(subtractDays(day, {sla:Array(UInt32)}[reached] + 2 * (reached - 1)), 'Asia/Shanghai'), 36000) AS t0
          FROM (SELECT id_number, any(county_code) AS county_code, any(town_code) AS town_code, any(village_code) AS village_code
                FROM payment_detail WHERE project_code = 'P02' GROUP BY id_number ${byHash('d17p', 'id_number')}))
    ARRAY JOIN arrayMap(i -> i + 1, range(reached)) AS k, arrayMap(i -> t0 + i * 2 * 86400, range(reached)) AS at`)
  await run(`${decoy} SELECT 'R17', '', concat(application_id, '|', ['村评', '镇审', '县定', '市管'][max(toUInt8(node))]), '', '恰好到审批时限'
    FROM workflow_event WHERE batch_id = 'SEED-DECOY' GROUP BY application_id`)

  // R25: 79 on the 1st of the last month, no 高龄津贴 yet: not eligible until 80.
  await run(`${decoy} SELECT 'R25', '高龄津贴', concat(id_number, '|高龄津贴'), '', '差一岁满 80 周岁'
    FROM beneficiary FINAL
    WHERE age('year', birth_date, ${last}) = 79 AND id_number NOT IN (SELECT id_number FROM ref_death)
      AND id_number NOT IN (SELECT id_number FROM payment_detail WHERE project_code IN ('P11', 'P12', 'P13'))
    ${byHash('d25', 'id_number')}`)
}
