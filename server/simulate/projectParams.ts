import { projects } from '../catalogue'

/**
 * The catalogue as parallel arrays, passed to the generator's SQL as parameters (index j = 1..90).
 * `weight` is how often a project is drawn for a person it fits; it is calibration, not policy, and
 * is tuned so that the article's payment count and total come out together (see README of seed).
 */
const weights: Record<string, number> = {
  P26: 14, // 城乡居民基础养老金: the broadest monthly item
  P41: 10, P42: 6, P44: 2, // 耕地地力, 种粮, 稻谷: most farm households
  P34: 3, P33: 2, P37: 3, P85: 2, P86: 1.5, P28: 0.2, P51: 3, P52: 2, P16: 3, P15: 3,
}

/** Month of the year that yearly items are paid in: spring or autumn, per project. */
function yearlyMonth(code: string, index: number): number {
  return [4, 5, 10, 11][index % 4]
}

export function projectParams() {
  return {
    pCode: projects.map((p) => p.code),
    pDept: projects.map((p) => p.dept),
    pFreq: projects.map((p) => p.frequency),
    pBasis: projects.map((p) => p.basis),
    pMin: projects.map((p) => p.amountMin),
    pMax: projects.map((p) => p.amountMax),
    pAgeMin: projects.map((p) => p.ageMin),
    pAgeMax: projects.map((p) => p.ageMax),
    pGroup: projects.map((p) => p.exclusionGroup ?? ''),
    pRelief: projects.map((p) => (p.relief ? 1 : 0)),
    pVillage: projects.map((p) => (p.villageReviewed ? 1 : 0)),
    pFund: projects.map((p) => p.fundLevel),
    pPop: projects.map((p) => p.population),
    pWeight: projects.map((p) => weights[p.code] ?? 1),
    pYearMonth: projects.map((p, i) => yearlyMonth(p.code, i)),
  }
}

/** ClickHouse types of the parameters above, for `{name:Type}` placeholders. */
export const projectParamTypes = {
  pCode: 'Array(String)', pDept: 'Array(String)', pFreq: 'Array(String)', pBasis: 'Array(String)',
  pMin: 'Array(Float64)', pMax: 'Array(Float64)', pAgeMin: 'Array(UInt8)', pAgeMax: 'Array(UInt8)',
  pGroup: 'Array(String)', pRelief: 'Array(UInt8)', pVillage: 'Array(UInt8)', pFund: 'Array(String)',
  pPop: 'Array(String)', pWeight: 'Array(Float64)', pYearMonth: 'Array(UInt8)',
} as const

/** 1-based index of a project code in the arrays above. */
export function projectIndex(code: string): number {
  const index = projects.findIndex((p) => p.code === code)
  if (index < 0) throw new Error(`unknown project ${code}`)
  return index + 1
}
