import { maskPersonSql } from '../maskSql'
import { defineRule } from '../types'
import { PAID } from './sqlParts'

/**
 * 政策找人: people the registers say are eligible and who receive nothing, judged as of the latest
 * payroll month (the newest period paid up to today), so a history that ends before today is judged
 * at its own end. Three kinds, one case per person and kind; deceased people are left out.
 * - 高龄津贴: 80 or older on the 1st of that month, no 高龄 payment that month or the one before;
 * - 护理补贴: disability grade 1–2, no 重度残疾人护理补贴 that month or the one before;
 * - 教育资助: 3–18 on 1 September of that school year, in a 低保 or 特困 household or one with a
 *   disabled member, and no school-stage grant paid since that 1 September.
 */
export default defineRule({
  id: 'R25',
  name: '应享未享（政策找人）',
  severity: 'info',
  class: '政策风险',
  explanation: '按户籍、低保特困和残疾登记应当享受的补贴，本人却没有领取，需上门核实后纳入。',
  incremental: false,
  reads: ['payment_detail', 'beneficiary', 'household', 'ref_disability', 'ref_death'],
  sql: () => `
WITH
  (SELECT if(max(period) = 0, toYYYYMM({today:Date}), max(period)) FROM payment_detail WHERE period <= toYYYYMM({today:Date})) AS payroll_period,
  makeDate(intDiv(payroll_period, 100), payroll_period % 100, 1) AS payroll_month,
  makeDate(toYear(payroll_month) - if(toMonth(payroll_month) < 9, 1, 0), 9, 1) AS school_start,
  receiving AS
  (
    SELECT id_number,
           maxIf(1, project_code IN {eduAidProjects:Array(String)} AND toDate(pay_time) >= school_start) AS edu,
           maxIf(1, project_code IN {elderAidProjects:Array(String)}) AS elder,
           maxIf(1, project_code IN {careAidProjects:Array(String)}) AS care
    FROM payment_detail
    WHERE ${PAID}
      AND project_code IN arrayConcat({eduAidProjects:Array(String)}, {elderAidProjects:Array(String)}, {careAidProjects:Array(String)})
      AND toDate(pay_time) >= least(school_start, addMonths(payroll_month, -1))
      AND (project_code IN {eduAidProjects:Array(String)} OR toStartOfMonth(pay_time) >= addMonths(payroll_month, -1))
    GROUP BY id_number
  ),
  candidates AS
  (
    SELECT b.id_number AS id_number, '教育资助' AS kind
    FROM (SELECT id_number, household_id, birth_date FROM beneficiary FINAL) AS b
    INNER JOIN (SELECT household_id, is_dibao, is_tekun FROM household FINAL) AS h ON h.household_id = b.household_id
    WHERE age('year', b.birth_date, school_start) BETWEEN 3 AND 18
      AND (h.is_dibao = 1 OR h.is_tekun = 1
           OR b.household_id IN (SELECT household_id FROM beneficiary FINAL WHERE id_number IN (SELECT id_number FROM ref_disability)))
    UNION ALL
    SELECT id_number, '高龄津贴' FROM beneficiary FINAL WHERE age('year', birth_date, payroll_month) >= 80
    UNION ALL
    SELECT id_number, '护理补贴' FROM ref_disability FINAL WHERE grade IN (1, 2)
  )
SELECT concat(c.id_number, '|', c.kind) AS case_key, b.county_code AS county_code, b.town_code AS town_code,
       b.village_code AS village_code, CAST(NULL, 'Nullable(Float64)') AS amount,
       concat(${maskPersonSql('b.person_name', 'b.id_number')}, ' ', c.kind) AS subject,
       [] :: Array(String) AS detail_ids, now64(3, 'Asia/Shanghai') AS detected_at
FROM candidates AS c
INNER JOIN (SELECT * FROM beneficiary FINAL) AS b ON b.id_number = c.id_number
LEFT JOIN receiving AS r ON r.id_number = c.id_number
WHERE c.id_number NOT IN (SELECT id_number FROM ref_death)
  AND NOT multiIf(c.kind = '教育资助', r.edu, c.kind = '高龄津贴', r.elder, r.care) = 1`,
})
