import { maskPersonSql } from '../maskSql'
import { defineRule } from '../types'

/**
 * 政策找人: people the registers say are eligible and who receive nothing. Three kinds, one case per
 * person and kind; the school year starts in September. Deceased people are left out.
 */
export default defineRule({
  id: 'R25',
  name: '应享未享（政策找人）',
  severity: 'info',
  class: '政策风险',
  explanation: '按户籍、低保特困和残疾登记应当享受的补贴，本人却没有领取，需上门核实后纳入。',
  incremental: false,
  sql: `
WITH
  toYear({today:Date}) - if(toMonth({today:Date}) < 9, 1, 0) AS school_year,
  toYYYYMM({today:Date} - toIntervalMonth(12)) AS year_ago,
  receiving AS
  (
    SELECT id_number,
           maxIf(1, has({eduAidProjects:Array(String)}, project_code) AND period >= school_year * 100 + 9) AS edu,
           maxIf(1, has({elderAidProjects:Array(String)}, project_code) AND period > year_ago) AS elder,
           maxIf(1, has({careAidProjects:Array(String)}, project_code) AND period > year_ago) AS care
    FROM payment_detail
    WHERE status IN ('成功', '在途')
    GROUP BY id_number
  ),
  candidates AS
  (
    SELECT b.id_number AS id_number, '教育资助' AS kind
    FROM (SELECT * FROM beneficiary FINAL) AS b
    INNER JOIN (SELECT * FROM household FINAL) AS h ON h.household_id = b.household_id
    WHERE age('year', b.birth_date, {today:Date}) BETWEEN 3 AND 18
      AND (h.is_dibao = 1 OR h.is_tekun = 1
           OR b.household_id IN (SELECT household_id FROM beneficiary FINAL WHERE id_number IN (SELECT id_number FROM ref_disability)))
    UNION ALL
    SELECT id_number, '高龄津贴' FROM beneficiary FINAL WHERE age('year', birth_date, {today:Date}) >= 80
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
