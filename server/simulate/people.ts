import type { Db } from '../db/client'
import { WINDOW_MONTHS, atLeast, type Plan } from './params'
import { periodDates } from './sqlDates'
import { ruleThresholds } from '../catalogue/thresholds'

/**
 * Base data the rules check payments against, derived from `sim_person` / `sim_enroll`:
 * beneficiary and household registers, deaths, officials and village cadres with relatives,
 * disability, students per school year, assets, card activity and the approval workflow.
 * Only people who were paid at least once are beneficiaries.
 */
export async function insertPeople(db: Db, plan: Plan, payments = 'payment_detail'): Promise<void> {
  const params = { seed: plan.seed, ...periodDates(plan), W: WINDOW_MONTHS, r21: atLeast(0.003, 4, plan.persons * 0.3), r22a: atLeast(0.05, 3, plan.persons * 0.015), d21: atLeast(0.002, 4, plan.persons * 0.3), proxyMax: ruleThresholds.proxyMaxCards }
  const run = (query: string) => db.client.command({ query, query_params: params })
  const paid = 'pid IN (SELECT DISTINCT pid FROM sim_enroll)'

  await run(`INSERT INTO beneficiary (id_number, person_name, gender, birth_date, household_id, county_code, town_code, village_code, phone, card_number, bank)
    SELECT id_number, person_name, if(gender_code = 1, '男', '女'), birth, concat('H', county, leftPad(toString(hh), 8, '0')),
           county, town, village, phone, card_number, bank
    FROM sim_person WHERE ${paid}`)

  // Household registers count everyone living there; beneficiaries are some of them.
  await run(`INSERT INTO household (household_id, head_id, county_code, town_code, village_code, members, is_dibao, is_tekun, land_mu)
    SELECT concat('H', any(county), leftPad(toString(hh), 8, '0')), argMin(id_number, pos), any(county), any(town), any(village),
           toUInt8(count() + cityHash64({seed:UInt64}, 'extra', hh) % 3), any(dibao), any(tekun), any(land)
    FROM sim_person GROUP BY hh`)

  await run(`INSERT INTO ref_death (id_number, death_date, source)
    SELECT id_number, death, ['民政殡葬', '公安户籍', '卫健死亡医学证明'][pid % 3 + 1] FROM sim_person WHERE dead`)

  // Officials (not village cadres), village cadres and their household members as relatives.
  await run(`INSERT INTO ref_official (id_number, kind, related_cadre, village_code, since)
    SELECT id_number, if(pid % 4 = 0, '财政供养人员', '公职人员'), '', village, toDate('2005-01-01') + pid % 5000 FROM sim_person WHERE official
    UNION ALL
    SELECT p.id_number, if(p.cadre, '村干部', '村干部亲属'), if(p.cadre, '', c.id_number), p.village, toDate('2012-01-01') + p.pid % 3000
    FROM sim_person AS p INNER JOIN (SELECT hh, id_number FROM sim_person WHERE cadre) AS c ON c.hh = p.hh
    WHERE p.cadre_hh AND (p.cadre OR p.age_end >= 16)`)

  await run(`INSERT INTO ref_disability (id_number, grade, kind)
    SELECT id_number, grade, ['肢体', '视力', '听力', '言语', '智力', '精神', '多重'][cityHash64({seed:UInt64}, 'dk', pid) % 7 + 1]
    FROM sim_person WHERE grade > 0`)

  // Everyone aged 3–21 on 1 September of a school year in the window is at school that year.
  await run(`INSERT INTO ref_student (id_number, school_year, stage, grade)
    SELECT id_number, year, multiIf(age < 6, '学前', age < 15, '义务教育', age < 18, if(pid % 3 = 0, '中职', '普通高中'), '高校'),
           toUInt8(multiIf(age < 6, age - 2, age < 15, age - 5, age < 18, age - 14, age - 17))
    FROM (SELECT id_number, pid, year, toUInt8(age('year', birth, makeDate32(year, 9, 1))) AS age
          FROM sim_person ARRAY JOIN range(toYear({startDate:Date}), toYear({endDate:Date}) + 1) AS year
          WHERE ${paid} AND birth < makeDate32(year, 9, 1) AND makeDate32(year, 9, 1) <= {endDate:Date} AND (NOT dead OR death > makeDate32(year, 9, 1)))
    WHERE age BETWEEN 3 AND 21`)

  // Asset holders (R12 thresholds: a car, ≥ 2 properties or a business); one flat for some others.
  await run(`INSERT INTO ref_asset (id_number, kind, count)
    SELECT id_number, kind, count FROM (
      SELECT id_number, cityHash64({seed:UInt64}, 'ak', pid) % 3 AS k,
             [('私家车', toUInt16(1)), ('房产', toUInt16(2 + pid % 2)), ('经营主体', toUInt16(1))][k + 1] AS asset,
             asset.1 AS kind, asset.2 AS count
      FROM sim_person WHERE assets)
    UNION ALL
    SELECT id_number, '房产', 1 FROM sim_person WHERE NOT assets AND cityHash64({seed:UInt64}, 'flat', pid) % 100 < 20`)

  // Cards withdraw regularly: the last withdrawal lies within 40 days of the window's end. Planted:
  // R21 dormant cards (people paid monthly through the last 14 months whose last withdrawal is
  // 430–730 days back, or none), their near miss (last withdrawal on the last day of the 12th month
  // before the end: credits in 11 months after it, one under the threshold), and R22's unapproved
  // proxies. Ground truth and decoys are written from these plants, not from the rules' conditions.
  await run('DROP TABLE IF EXISTS sim_card')
  await run(`CREATE TABLE sim_card ENGINE = MergeTree ORDER BY card_number AS
    SELECT card_number, max(isDormant) AS dormant, NOT max(isDormant) AND max(nearDormant) AS near_dormant, max(proxied) AS proxy,
           -- a shared multi-card holder's cards stay approved: one planted branch per holder (ground_truth
           -- keeps one row per case key, so a holder in two branches would count in one only)
           max(proxied) AND NOT max(multi) AND cityHash64({seed:UInt64}, 'r22a', card_number) % 1000000 < {r22a:Float64} * 1e6 AS unapproved
    FROM (SELECT card_number, proxy AS proxied, proxy_multi AS multi,
                 pid IN (SELECT pid FROM sim_enroll WHERE has(months, {W:UInt16} - 14) AND has(months, {W:UInt16} - 1) AND length(months) >= 14) AS monthly14,
                 monthly14 AND cityHash64({seed:UInt64}, 'r21p', pid) % 1000000 < {r21:Float64} * 1e6 AS isDormant,
                 monthly14 AND NOT isDormant AND cityHash64({seed:UInt64}, 'd21p', pid) % 1000000 < {d21:Float64} * 1e6 AS nearDormant
          FROM sim_person WHERE ${paid}) GROUP BY card_number`)
  await run(`INSERT INTO card_activity (card_number, last_withdrawal, proxy_approved, reported_on)
    SELECT card_number,
           multiIf(dormant, if(cityHash64({seed:UInt64}, 'r21', card_number) % 3 = 0, NULL, subtractDays({endDate:Date}, 430 + cityHash64({seed:UInt64}, 'wd', card_number) % 300)),
                   near_dormant, toLastDayOfMonth(addMonths({startDate:Date}, {W:UInt16} - 12)),
                   subtractDays({endDate:Date}, cityHash64({seed:UInt64}, 'wd', card_number) % 40)),
           if(unapproved, 0, proxy), {endDate:Date}
    FROM sim_card`)
  await run(`INSERT INTO ground_truth (rule_id, case_key, detail_id, note) SELECT 'R21', card_number, '', '长期只进不出' FROM sim_card WHERE dormant`)
  await run(`INSERT INTO decoy (rule_id, branch, case_key, detail_id, note) SELECT 'R21', '', card_number, '', '最后取款后 11 个月有入账（差一个月）' FROM sim_card WHERE near_dormant`)
  // R22: holders of an unapproved proxied card, and the few shared multi-card holders.
  await run(`INSERT INTO ground_truth (rule_id, case_key, detail_id, note, branch)
    SELECT DISTINCT 'R22', p.proxy_id, '', '代管代持异常', '未备案代管' FROM sim_person AS p
    WHERE p.proxy AND ${paid.replace('pid', 'p.pid')} AND p.card_number IN (SELECT card_number FROM sim_card WHERE unapproved)
    UNION ALL
    SELECT 'R22', proxy_id, '', '代管代持异常', '一人代管多卡' FROM sim_person WHERE proxy_multi AND ${paid}
    GROUP BY proxy_id HAVING uniqExact(card_number) >= {proxyMax:UInt8}`)
  // A shared holder the hash gave fewer cards (small runs: one county's group) is a near miss.
  await run(`INSERT INTO decoy (rule_id, branch, case_key, detail_id, note)
    SELECT 'R22', '一人代管多卡', proxy_id, '', '一人代管卡数低于阈值' FROM sim_person WHERE proxy_multi AND ${paid}
    GROUP BY proxy_id HAVING uniqExact(card_number) < {proxyMax:UInt8}`)

  // 户报 → 村评 → 镇审 → 县定 → 市管 for every enrollment, each step inside its SLA.
  await run(`INSERT INTO workflow_event (application_id, node, at, project_code, county_code, town_code, village_code, id_number, actor, batch_id)
    SELECT application_id, node, at, project_code, county_code, town_code, village_code, id_number,
           concat(['申请人', '村民委员会', '乡镇人民政府', '县级主管部门', '市级主管部门'][indexOf(['户报', '村评', '镇审', '县定', '市管'], node)], '经办'), 'SEED-WORKFLOW'
    FROM (SELECT DISTINCT concat('SQ', county_code, substring(detail_id, 8, 10)) AS application_id, project_code, county_code, town_code, village_code, id_number,
                 applied_at, village_reviewed_at, town_reviewed_at, county_decided_at, city_managed_at
          FROM ${payments} WHERE reissue_of = '' AND applied_at IS NOT NULL)
    ARRAY JOIN ['户报', '村评', '镇审', '县定', '市管'] AS node,
               [assumeNotNull(applied_at), assumeNotNull(village_reviewed_at), assumeNotNull(town_reviewed_at), assumeNotNull(county_decided_at), assumeNotNull(city_managed_at)] AS at`)
}

