import type { Db } from '../db/client'
import { WINDOW_MONTHS, atLeast, type Plan } from './params'
import { monthIndexOf } from './sqlCommon'
import { projectIndex } from './projectParams'
import { periodDates } from './sqlDates'

/**
 * Builds `sim_enroll`: who receives which project over which months (one row per person × project,
 * never two, so clean data has no duplicates). Three kinds:
 * - mandatory, eligibility-driven (kind 1): 高龄津贴 for everyone ≥ 80, 重度残疾人护理补贴 for grade 1–2,
 *   education aid for 3–18-year-olds of 低保/特困/disabled households, orphans' allowances. These
 *   cover every eligible month so that 政策找人 (R25) finds only the injected suspects.
 * - mandatory spells (kind 3): 低保 for members of 低保 households, 特困 for 特困 heads.
 * - optional (kind 0): projects that fit the person, each drawn with a probability set by its
 *   weight. The best-ranked one is kept for anyone without a mandatory project (so every person is
 *   paid at least once); the rest are kept in random order until the article's payment count is met.
 * Months are whole: a person is inside a project's age band for the entire month (full years at any
 * day of it), and the last month paid ends before the month of death.
 */
/** 0.55 % gave 1085 planted leads at full scale once only planted people counted; 0.73 % aims at the article's 1441. */
export const R25_RATE = 0.0073
/** Share of optional projects drawn per unit of weight (≈ 3–4 drawn per person). */
const DRAW_PER_WEIGHT = 0.09
/** Extra rows expected from failures, re-issues and injected copies, kept out of the clean budget. */
const RESERVED_SHARE = 0.0012

export function enrollmentParams(plan: Plan) {
  const ix = projectIndex
  return {
    seed: plan.seed, W: WINDOW_MONTHS, ...periodDates(plan), m0: (plan.firstPeriod % 100) - 1,
    jOld: [ix('P11'), ix('P12'), ix('P13')], jCare: ix('P20'), jEdu: [ix('P61'), ix('P62'), ix('P63')],
    jDibaoUrban: ix('P01'), jDibaoRural: ix('P02'), jTekunHome: ix('P03'), jTekunInst: ix('P04'), jTekunCare: ix('P05'),
    jOrphan: [ix('P06'), ix('P07'), ix('P08')], jCadre: ix('P83'), r25: atLeast(R25_RATE, 40, plan.persons), draw: DRAW_PER_WEIGHT,
  }
}

/** Person flags the picks below need, computed once per person. */
const personFlags = `
  SELECT pid, age_end, grade, dibao, tekun, urban, rel, cadre, veteran, orphan, cadre_hh,
         cityHash64({seed:UInt64}, 'r25', pid) % 1000000 < {r25:Float64} * 1e6 AS isR25,
         (dibao OR tekun OR hh_disabled) AND age_end <= 27 AS eduMandatory,
         official OR assets OR cadre_hh AS noRelief,
         urban = 0 AND rel = 0 AS ruralHead,
         cityHash64({seed:UInt64}, 'forest', pid) % 100 < 25 AS forester,
         male AND age_end >= 62 AND cityHash64({seed:UInt64}, 'excadre', pid) % 1000 < 20 AS exCadre
  FROM sim_person`

/** Mandatory picks (pid, j, kind): eligibility-driven (1) and spells (3). Small, targeted selects. */
const mandatoryPicks = `
  SELECT pid, arrayJoin({jOld:Array(UInt8)}) AS j, toUInt8(1) AS kind FROM sim_flags WHERE age_end >= 80
  UNION ALL SELECT pid, {jCare:UInt8}, 1 FROM sim_flags WHERE grade IN (1, 2)
  UNION ALL SELECT pid, arrayJoin({jEdu:Array(UInt8)}), 1 FROM sim_flags WHERE eduMandatory AND NOT isR25
  UNION ALL SELECT pid, if(urban, {jDibaoUrban:UInt8}, {jDibaoRural:UInt8}), 3 FROM sim_flags WHERE dibao
  UNION ALL SELECT pid, arrayJoin([if(age_end >= 75 AND pid % 3 = 0, {jTekunInst:UInt8}, {jTekunHome:UInt8}), {jTekunCare:UInt8}]), 3 FROM sim_flags WHERE tekun AND rel = 0
  UNION ALL SELECT pid, {jOrphan:Array(UInt8)}[pid % 3 + 1], 1 FROM sim_flags WHERE orphan`

/**
 * Optional picks (pid, j, 0): projects that fit the person, drawn with probability ∝ weight; with
 * \`fallback\`, every fitting project of people who got nothing (cheap tests first, hash last).
 */
function optionalPicks(fallback: boolean): string {
  return `
  SELECT pid, j, toUInt8(0) AS kind
  FROM (SELECT * FROM sim_flags ${fallback ? 'WHERE pid NOT IN (SELECT pid FROM sim_cand)' : ''}) AS p
  CROSS JOIN (SELECT j, lo, hi, basis = 'person' AS perPerson, relief, village_reviewed, pop_code, freq_code, edu_group, g_first, g_size, weight
              FROM sim_proj WHERE mand_only = 0) AS pr
  WHERE age_end >= lo AND toInt32(age_end) - 6 <= hi
    AND (perPerson OR rel = 0)
    AND NOT (relief AND noRelief) AND NOT (village_reviewed AND cadre_hh)
    AND ((pop_code = 1 AND (dibao OR tekun OR freq_code = 5))
      OR (pop_code = 3 AND (dibao OR tekun))
      OR (pop_code = 5 AND grade > 0)
      OR (pop_code = 8 AND ruralHead)
      OR (pop_code = 9 AND ruralHead AND forester)
      OR (pop_code = 10 AND NOT (eduMandatory AND edu_group))
      OR (pop_code = 11 AND veteran)
      OR (pop_code = 12 AND if(j = {jCadre:UInt8}, cadre = 1, exCadre))
      OR pop_code IN (4, 6, 7, 13))
    AND (g_size = 1 OR (j - g_first) = cityHash64({seed:UInt64}, 'grp', pid, g_first) % g_size)
    ${fallback ? '' : "AND cityHash64({seed:UInt64}, 'draw', pid, j) % 1000000 < least(1, {draw:Float64} * weight) * 1e6"}`
}

/** Months paid for each pick: inside the age band for whole months, before the month of death. */
const candidatesSql = `
  SELECT pid, j, kind, r25,
         -log((cityHash64({seed:UInt64}, 'race', pid, j) % 1000000 + 1) / 1000001) / weight AS race,
         lo AS loAge, hi AS hiAge,
         addYears(birth, loAge) AS loDay,
         greatest(0, ${monthIndexOf('loDay')} + (toDayOfMonth(loDay) > 1)) AS a,
         least({W:UInt16} - 1, ${monthIndexOf('addYears(birth, hiAge + 1)')} - 1, if(dead, ${monthIndexOf('death')} - 1, {W:UInt16} - 1),
               if(r25 AND kind = 1 AND (has({jOld:Array(UInt8)}, j) OR j = {jCare:UInt8}), {W:UInt16} - 4 - cityHash64({seed:UInt64}, 'r25cut', pid) % 10, 1000)) AS b,
         b - a + 1 AS len,
         cityHash64({seed:UInt64}, 'u1', pid, j) % 1000000 / 1e6 AS u1,
         cityHash64({seed:UInt64}, 'u2', pid, j) % 1000000 / 1e6 AS u2,
         toInt32(multiIf(kind = 1 AND j = {jCare:UInt8}, len - floor(len * u1 * 0.5), kind = 1, len, greatest(1, ceil(len * (0.25 + 0.75 * u1))))) AS L,
         toInt32(a + multiIf(kind = 1 AND j = {jCare:UInt8}, len - L, kind = 1, 0,
               -- two in three optional spells are still running at the window's end: volume grows year on year
               cityHash64({seed:UInt64}, 'u3', pid, j) % 3 < 2, len - L, floor((len - L + 1) * pow(u2, 0.6)))) AS s,
         if(freq_code = 5, [s], arrayFilter(m -> freq_code = 1
             OR (freq_code = 2 AND (m + {m0:UInt8}) % 3 = 2)
             OR (freq_code = 3 AND (m + {m0:UInt8}) % 12 + 1 = year_month)
             OR (freq_code = 4 AND ((m + {m0:UInt8}) % 12 + 1) IN (3, 9)), range(s, s + L))) AS months,
         length(months) AS n
  FROM (SELECT k.pid AS pid, k.j AS j, k.kind AS kind, p.birth AS birth, p.dead AS dead, p.death AS death,
               toUInt8(cityHash64({seed:UInt64}, 'r25', k.pid) % 1000000 < {r25:Float64} * 1e6) AS r25,
               pr.lo AS lo, pr.hi AS hi, pr.weight AS weight, pr.freq_code AS freq_code, pr.year_month AS year_month
        FROM sim_pick AS k
        INNER JOIN (SELECT pid, birth, dead, death FROM sim_person) AS p ON p.pid = k.pid
        INNER JOIN sim_proj AS pr ON pr.j = k.j)
  WHERE len > 0 AND n > 0`

export async function buildEnrollments(db: Db, plan: Plan): Promise<{ uncovered: number }> {
  const params = enrollmentParams(plan)
  const run = async (query: string, extra: Record<string, unknown> = {}) => {
    const t = Date.now()
    await db.client.command({ query, query_params: { ...params, ...extra } })
    if (process.env.SIM_TIMING) console.log(`${Date.now() - t} ms ${query.trim().slice(0, 50)}`)
  }
  await run('DROP TABLE IF EXISTS sim_flags')
  await run(`CREATE TABLE sim_flags ENGINE = MergeTree ORDER BY pid AS ${personFlags}`)
  await run('DROP TABLE IF EXISTS sim_pick')
  await run(`CREATE TABLE sim_pick ENGINE = MergeTree ORDER BY (pid, j) AS ${mandatoryPicks}`)
  await run(`INSERT INTO sim_pick ${optionalPicks(false)}`)
  await run('DROP TABLE IF EXISTS sim_cand')
  await run(`CREATE TABLE sim_cand ENGINE = MergeTree ORDER BY (pid, j) AS ${candidatesSql}`)
  // People whose draws all fell outside their lifetime in the window: every fitting project instead.
  await run('TRUNCATE TABLE sim_pick')
  await run(`INSERT INTO sim_pick ${optionalPicks(true)}`)
  await run(`INSERT INTO sim_cand ${candidatesSql}`)
  await run('DROP TABLE sim_pick')
  await run('DROP TABLE sim_flags')

  // Everyone keeps their mandatory projects; anyone without one keeps their best-ranked draw.
  await run('DROP TABLE IF EXISTS sim_keep')
  await run(`CREATE TABLE sim_keep ENGINE = MergeTree ORDER BY (pid, j) AS
    SELECT pid, j, n, kind > 0 OR (NOT covered AND optRank = 1) AS fixed, cityHash64({seed:UInt64}, 'cut', pid, j) AS cutKey
    FROM (SELECT pid, j, kind, n, max(kind > 0) OVER (PARTITION BY pid) AS covered,
                 row_number() OVER (PARTITION BY pid, kind > 0 ORDER BY race) AS optRank
          FROM sim_cand)`)
  const fixed = await scalar(db, 'SELECT sum(n) FROM sim_keep WHERE fixed')
  const budget = Math.max(0, Math.round(plan.payments * (1 - RESERVED_SHARE)) - fixed)
  await run('DROP TABLE IF EXISTS sim_enroll')
  await run(
    `CREATE TABLE sim_enroll ENGINE = MergeTree ORDER BY eid AS
      SELECT c.pid * 100 + c.j AS eid, c.pid AS pid, c.j AS j, c.kind AS kind, c.r25 AS r25, c.s AS s, c.n AS n, c.months AS months,
             cityHash64({seed:UInt64}, 'std', c.pid, c.j) % 1000000 / 1e6 AS ustd
      FROM sim_cand AS c
      INNER JOIN (SELECT pid, j FROM (
                    SELECT pid, j, fixed, sum(if(fixed, 0, n)) OVER (ORDER BY fixed DESC, cutKey ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum
                    FROM sim_keep) WHERE fixed OR cum <= {budget:UInt64}) AS k
      ON c.pid = k.pid AND c.j = k.j`,
    { budget },
  )
  await run('DROP TABLE sim_keep')
  await run('DROP TABLE sim_cand')
  const uncovered = await scalar(db, 'SELECT count() FROM sim_person WHERE pid NOT IN (SELECT pid FROM sim_enroll)')
  return { uncovered }
}

export async function scalar(db: Db, query: string, params: Record<string, unknown> = {}): Promise<number> {
  const result = await db.client.query({ query, query_params: params, format: 'JSONCompactEachRow' })
  const rows = await result.json<[number | string][]>()
  return Number(rows[0]?.[0] ?? 0)
}
