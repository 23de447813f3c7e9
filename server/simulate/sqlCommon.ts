import { projects } from '../catalogue'
import { checkCharacterSql } from '../ingest/idNumber'

/**
 * SQL fragments shared by the generator's steps. They are fixed text (no values): every value they
 * use arrives as a `{name:Type}` parameter.
 */

/** Month index (0 = the window's first month) of a date. */
export const monthIndexOf = (date: string) =>
  `((toYear(${date}) - toYear({startDate:Date})) * 12 + toMonth(${date}) - toMonth({startDate:Date}))`

/** First day of month index `m`. */
export const monthStart = (m: string) => `addMonths({startDate:Date}, ${m})`

/** A Saturday moved to the Friday before, a Sunday to the Monday after: banks pay on weekdays. */
export const onWeekday = (day: string) => `addDays(${day}, multiIf(toDayOfWeek(${day}) = 6, -1, toDayOfWeek(${day}) = 7, 1, 0))`

/** Pay day (a weekday, 7th–26th) of one project's batch in one county and month: one batch, one day. */
export const payDate = (county: string, j: string, m: string) =>
  onWeekday(`addDays(${monthStart(m)}, 7 + cityHash64({seed:UInt64}, 'payday', ${county}, ${j}, ${m}) % 18)`)

/** 内财社〔2021〕37号-style document number of the indicator behind (county, project, year). */
export const indicatorDoc = (county: string, j: string, year: string) =>
  `concat('内财', {pDocTag:Array(String)}[${j}], '〔', toString(${year}), '〕', toString(10 + cityHash64({seed:UInt64}, 'doc', ${county}, ${j}, ${year}) % 290), '号')`

/** Short tag of each department in document numbers (内财社, 内财农, …). */
const docTags: Record<string, string> = {
  民政: '社', 残联: '社', 人社: '社', 卫健: '社', 医保: '社', 退役军人: '社', 农业农村: '农', 林业: '农', 水利: '农',
  乡村振兴: '农', 住建: '建', 教育: '教', 组织部: '行',
}
/** Paying unit (发放单位) suffix of each department. */
const unitNames: Record<string, string> = {
  民政: '民政局', 残联: '残疾人联合会', 人社: '人力资源和社会保障局', 卫健: '卫生健康局', 农业农村: '农业农村局', 林业: '林业局',
  住建: '住房和城乡建设局', 教育: '教育局', 乡村振兴: '乡村振兴局', 退役军人: '退役军人事务局', 组织部: '委组织部', 水利: '水利局', 医保: '医疗保障局',
}

export function chainParams() {
  return {
    pDocTag: projects.map((p) => docTags[p.dept]),
    pUnit: projects.map((p) => unitNames[p.dept]),
  }
}

/** GB 11643 check character of a 17-digit string expression. */
export const idCheck = checkCharacterSql

/**
 * 城乡居民基础养老金 (P26) per person·month in the year of month index `m`: one standard for
 * everyone, raised year by year from 143 (DOMAIN.md's floor), as the provincial notices do.
 */
export const PENSION_CODE = 'P26'
export const pensionStandards: Record<number, number> = { 2018: 143, 2019: 143, 2020: 148, 2021: 153, 2022: 158, 2023: 163, 2024: 183 }
export const pensionStandard = (m: string) => {
  const years = Object.keys(pensionStandards).map(Number)
  const last = Math.max(...years)
  return `toUInt32(transform(toYear(${monthStart(m)}), [${years.join(', ')}], [${years.map((y) => pensionStandards[y]).join(', ')}],
    ${pensionStandards[last]} + 5 * greatest(0, toInt32(toYear(${monthStart(m)})) - ${last})))`
}

/** Standard (yuan, whole) of an enrollment at band position `p`: spread ±0.3 around p, inside the band. */
export const standardAt = (p: string) =>
  `toUInt32(if(amax = amin, amin, round(amin + (amax - amin) * least(1, greatest(0, ${p} + (ustd - 0.5) * 0.6)))))`

/** Basis quantity: 1 person or household, or the household's land (forest area for forest items). */
export const quantity = `if(basis = 'mu', if(pop = 'forest', toDecimal64(100 + cityHash64({seed:UInt64}, 'fa', pid, j) % 1500, 2) / 100, land), toDecimal64(1, 2))`
