import type { Db } from '../db/client'
import { projectParams, projectParamTypes } from './projectParams'
import { chainParams } from './sqlCommon'
import { projects } from '../catalogue'

/**
 * `sim_proj`: the catalogue as a 90-row table inside ClickHouse, so the generator's queries join
 * project attributes as columns (looking them up in array parameters row by row is ~10× slower).
 */
const mandatoryOnly = new Set(['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'P11', 'P12', 'P13', 'P20'])

function groupColumns() {
  const first = new Map<string, number>()
  const size = new Map<string, number>()
  projects.forEach((p, i) => {
    if (!p.exclusionGroup) return
    if (!first.has(p.exclusionGroup)) first.set(p.exclusionGroup, i + 1)
    size.set(p.exclusionGroup, (size.get(p.exclusionGroup) ?? 0) + 1)
  })
  return {
    gFirst: projects.map((p, i) => (p.exclusionGroup ? first.get(p.exclusionGroup)! : i + 1)),
    gSize: projects.map((p) => (p.exclusionGroup ? size.get(p.exclusionGroup)! : 1)),
    pMandOnly: projects.map((p) => (mandatoryOnly.has(p.code) ? 1 : 0)),
  }
}

export async function buildProjectTable(db: Db): Promise<void> {
  const params = { ...projectParams(), ...chainParams(), ...groupColumns() }
  const arg = (name: string, type: string) => `{${name}:${type}}[j]`
  const t = projectParamTypes
  await db.client.command({ query: 'DROP TABLE IF EXISTS sim_proj' })
  await db.client.command({
    query: `CREATE TABLE sim_proj ENGINE = MergeTree ORDER BY j AS
      SELECT toUInt8(number + 1) AS j,
             ${arg('pCode', t.pCode)} AS code, ${arg('pDept', t.pDept)} AS dept, ${arg('pFreq', t.pFreq)} AS freq,
             ${arg('pBasis', t.pBasis)} AS basis, ${arg('pMin', t.pMin)} AS amin, ${arg('pMax', t.pMax)} AS amax,
             ${arg('pAgeMin', t.pAgeMin)} AS lo, ${arg('pAgeMax', t.pAgeMax)} AS hi, ${arg('pGroup', t.pGroup)} AS grp,
             ${arg('pRelief', t.pRelief)} AS relief, ${arg('pVillage', t.pVillage)} AS village_reviewed,
             ${arg('pFund', t.pFund)} AS fund, ${arg('pPop', t.pPop)} AS pop, ${arg('pWeight', t.pWeight)} AS weight,
             ${arg('pYearMonth', t.pYearMonth)} AS year_month, {pDocTag:Array(String)}[j] AS doc_tag, {pUnit:Array(String)}[j] AS unit,
             {gFirst:Array(UInt8)}[j] AS g_first, {gSize:Array(UInt8)}[j] AS g_size, {pMandOnly:Array(UInt8)}[j] AS mand_only,
             toUInt8(indexOf(['monthly', 'quarterly', 'yearly', 'term', 'once'], freq)) AS freq_code,
             toUInt8(indexOf(['relief', 'tekun', 'orphan', 'elderly', 'disabled', 'pension', 'worker', 'farmer', 'forest', 'student', 'veteran', 'cadre', 'general'], pop)) AS pop_code,
             toUInt8(grp IN ('学前资助', '义教资助', '高中资助')) AS edu_group
      FROM numbers(${projects.length})`.replace(/\[j\]/g, '[number + 1]'),
    query_params: params,
  })
}
