import type { Db } from '../db/client'
import type { Plan } from './params'
import { WINDOW_MONTHS } from './params'
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
export const R25_RATE = 0.0084
/** Share of optional projects drawn per unit of weight (≈ 3–4 drawn per person). */
const DRAW_PER_WEIGHT = 0.09
/** Extra rows expected from failures, re-issues and injected copies, kept out of the clean budget. */
const RESERVED_SHARE = 0.0012

export function enrollmentParams(plan: Plan) {
  const ix = projectIndex
  return {
    seed: plan.seed, W: WINDOW_MONTHS, ...periodDates(plan),
    jOld: [ix('P11'), ix('P12'), ix('P13')], jCare: ix('P20'), jEdu: [ix('P61'), ix('P62'), ix('P63')],
    jDibaoUrban: ix('P01'), jDibaoRural: ix('P02'), jTekunHome: ix('P03'), jTekunInst: ix('P04'), jTekunCare: ix('P05'),
    jOrphan: [ix('P06'), ix('P07'), ix('P08')], jCadre: ix('P83'), r25: R25_RATE, draw: DRAW_PER_WEIGHT,
  }
}

/** Candidate rows; `fallback` lists every fitting optional project (for people left without any). */
function candidatesSql(fallback: boolean): string {
  const optionalFits = `mand_only = 0
      AND (j - g_first) = cityHash64({seed:UInt64}, 'grp', pid, g_first) % g_size
      AND NOT (relief = 1 AND (official OR assets OR cadre_hh))
      AND NOT (village_reviewed = 1 AND cadre_hh)
      AND (basis = 'person' OR rel = 0)
      AND age_end >= lo AND toInt32(age_end) - 6 <= hi
      AND multiIf(
        pop = 'relief', dibao OR tekun OR freq = 'once',
        pop = 'orphan', dibao OR tekun,
        pop = 'disabled', grade > 0,
        pop IN ('farmer', 'forest'), urban = 0 AND rel = 0 AND (pop = 'farmer' OR cityHash64({seed:UInt64}, 'forest', pid) % 100 < 25),
        pop = 'student', NOT (eduMandatory AND grp IN ('学前资助', '义教资助', '高中资助')),
        pop = 'veteran', veteran = 1,
        pop = 'cadre', if(j = {jCadre:UInt8}, cadre = 1, male AND age_end >= 62 AND cityHash64({seed:UInt64}, 'excadre', pid) % 1000 < 20),
        1)`
  const drawn = fallback ? '1' : `cityHash64({seed:UInt64}, 'draw', pid, j) % 1000000 < least(1, {draw:Float64} * weight) * 1e6`
  const mandatory = fallback
    ? '0'
    : `multiIf(
        has({jOld:Array(UInt8)}, j) AND age_end >= 80, 1,
        j = {jCare:UInt8} AND grade IN (1, 2), 1,
        has({jEdu:Array(UInt8)}, j) AND eduMandatory AND NOT isR25, 1,
        dibao AND j = if(urban, {jDibaoUrban:UInt8}, {jDibaoRural:UInt8}), 3,
        tekun AND rel = 0 AND (j = if(age_end >= 75 AND pid % 3 = 0, {jTekunInst:UInt8}, {jTekunHome:UInt8}) OR j = {jTekunCare:UInt8}), 3,
        orphan AND j = {jOrphan:Array(UInt8)}[pid % 3 + 1], 1,
        0)`
  return `
    SELECT pid, j, kind, toUInt8(isR25) AS r25,
           -log((cityHash64({seed:UInt64}, 'race', pid, j) % 1000000 + 1) / 1000001) / weight AS race,
           multiIf(kind = 1 AND j = {jEdu:Array(UInt8)}[1], 3, kind = 1 AND j = {jEdu:Array(UInt8)}[2], 6, kind = 1 AND j = {jEdu:Array(UInt8)}[3], 15, lo) AS loAge,
           multiIf(kind = 1 AND j = {jEdu:Array(UInt8)}[1], 5, kind = 1 AND j = {jEdu:Array(UInt8)}[2], 14, kind = 1 AND j = {jEdu:Array(UInt8)}[3], 19, hi) AS hiAge,
           addYears(birth, loAge) AS loDay,
           greatest(0, ${monthIndexOf('loDay')} + (toDayOfMonth(loDay) > 1)) AS a,
           least({W:UInt16} - 1, ${monthIndexOf('addYears(birth, hiAge + 1)')} - 1, if(dead, ${monthIndexOf('death')} - 1, {W:UInt16} - 1),
                 if(isR25 AND kind = 1 AND (has({jOld:Array(UInt8)}, j) OR j = {jCare:UInt8}), {W:UInt16} - 4 - cityHash64({seed:UInt64}, 'r25cut', pid) % 10, 1000)) AS b,
           b - a + 1 AS len,
           cityHash64({seed:UInt64}, 'u1', pid, j) % 1000000 / 1e6 AS u1,
           cityHash64({seed:UInt64}, 'u2', pid, j) % 1000000 / 1e6 AS u2,
           toInt32(multiIf(kind = 1 AND j = {jCare:UInt8}, len - floor(len * u1 * 0.5), kind = 1, len, greatest(1, ceil(len * (0.25 + 0.75 * u1))))) AS L,
           toInt32(a + if(kind = 1 AND j != {jCare:UInt8}, 0, floor((len - L + 1) * pow(u2, 0.6)))) AS s,
           if(freq = 'once', [s], arrayFilter(m -> multiIf(
               freq = 'quarterly', (toMonth({startDate:Date}) - 1 + m) % 3 = 2,
               freq = 'yearly', (toMonth({startDate:Date}) - 1 + m) % 12 + 1 = year_month,
               freq = 'term', (toMonth({startDate:Date}) - 1 + m) % 12 + 1 IN (3, 9),
               1), range(s, s + L))) AS months,
           length(months) AS n
    FROM (
      SELECT *, ${mandatory} AS mandatoryKind,
             if(mandatoryKind > 0, mandatoryKind, if(${optionalFits} AND ${drawn}, 0, 255)) AS kind
      FROM (SELECT pid, age_end, birth, dead, death, grade, dibao, tekun, hh_disabled, urban, rel, official, assets, cadre_hh, cadre,
                   male, veteran, orphan, cityHash64({seed:UInt64}, 'r25', pid) % 1000000 < {r25:Float64} * 1e6 AS isR25,
                   (dibao OR tekun OR hh_disabled) AND age_end <= 27 AS eduMandatory
            FROM sim_person ${fallback ? 'WHERE pid NOT IN (SELECT pid FROM sim_cand)' : ''}) AS p
      CROSS JOIN (SELECT j, freq, basis, lo, hi, grp, g_first, g_size, relief, village_reviewed, pop, weight, year_month, mand_only
                  FROM sim_proj) AS pr
      WHERE kind != 255)
    WHERE len > 0 AND n > 0`
}

export async function buildEnrollments(db: Db, plan: Plan): Promise<{ uncovered: number }> {
  const params = enrollmentParams(plan)
  const run = async (query: string, extra: Record<string, unknown> = {}) => {
    const t = Date.now()
    await db.client.command({ query, query_params: { ...params, ...extra } })
    if (process.env.SIM_TIMING) console.log(`${Date.now() - t} ms ${query.trim().slice(0, 50)}`)
  }
  await run('DROP TABLE IF EXISTS sim_cand')
  await run(`CREATE TABLE sim_cand ENGINE = MergeTree ORDER BY (pid, j) AS ${candidatesSql(false)}`)
  await run(`INSERT INTO sim_cand ${candidatesSql(true)}`)

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
export const candidatesSqlForProfile = candidatesSql
