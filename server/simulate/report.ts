import type { Db } from '../db/client'
import { article, WINDOW_MONTHS } from './params'
import { MORTALITY } from './population'
import { seededTables } from './seed'
import { scalar } from './enrollments'

/**
 * Figures of the article (DOMAIN.md) next to what the generator made. Counts that grow with the
 * city are compared per scale unit (the article's figure × the run's fraction); catalogue figures
 * (projects, departments, check rules, posts) are compared as they are.
 */
interface ArticleFigure {
  name: string
  article: number
  unit: string
  /** scales with the size of the run (payments, people, cases) */
  scales: boolean
  /** the generated value; null: not made by the generator (see `note`) */
  sql: string | null
  note?: string
  /** value shown ÷ this (1e8 for 亿, 1e4 for 万) */
  divisor?: number
}

const figures: ArticleFigure[] = [
  { name: '累计发放金额', article: article.amountYuan, unit: '亿元', divisor: 1e8, scales: true, sql: "SELECT toFloat64(sum(amount_paid)) FROM payment_detail WHERE status = '成功'" },
  { name: '发放人次', article: article.payments, unit: '万人次', divisor: 1e4, scales: true, sql: "SELECT count() FROM payment_detail WHERE status = '成功'" },
  { name: '惠及群众', article: article.beneficiaries, unit: '万人', divisor: 1e4, scales: true, sql: "SELECT uniqExact(id_number) FROM payment_detail WHERE status = '成功'" },
  { name: '补贴项目', article: 90, unit: '个', scales: false, sql: 'SELECT uniqExact(project_code) FROM payment_detail' },
  { name: '监管部门', article: 13, unit: '个', scales: false, sql: 'SELECT uniqExact(dept) FROM payment_detail' },
  { name: '前置审查规则', article: 124, unit: '条', scales: false, sql: 'SELECT uniqExact(arrayJoin(prereview_hits)) FROM payment_detail' },
  { name: '拦截问题数据', article: 280_000, unit: '万条', divisor: 1e4, scales: true, sql: 'SELECT countIf(notEmpty(prereview_hits)) FROM payment_detail' },
  { name: '跨地区重复发放', article: article.crossRegionCases, unit: '条', scales: true, sql: "SELECT count() FROM ground_truth WHERE rule_id = 'R03'" },
  { name: '跨地区重复金额', article: 135_200, unit: '万元', divisor: 1e4, scales: true,
    sql: "SELECT toFloat64(sum(amount_paid)) FROM payment_detail WHERE detail_id IN (SELECT detail_id FROM ground_truth WHERE rule_id = 'R03')" },
  { name: '政策找人疑似', article: article.policySuspects, unit: '人', scales: true, sql: "SELECT count() FROM ground_truth WHERE rule_id = 'R25'" },
  { name: '政策找人纳入', article: 179, unit: '人', scales: true, sql: null, note: 'at first start: the demo ledger enrolls 179/1441 of the leads' },
  { name: '监督岗位', article: 160, unit: '个', scales: false, sql: 'SELECT count() FROM supervision_post FINAL' },
  // Not the article's: the city's own figures the issue measured the generator against.
  { name: '死亡率(‰/年)', article: MORTALITY.crudePerMille, unit: '‰', scales: false,
    sql: `SELECT (SELECT count() FROM ref_death) / (SELECT count() FROM beneficiary FINAL) / ${WINDOW_MONTHS / 12} * 1000` },
  // Beneficiaries are a part of the city's residents: the 79.4 万 residents aged 60+ are an upper bound.
  { name: '60岁以上受益人', article: 794_000, unit: '万人', divisor: 1e4, scales: true,
    sql: `SELECT countIf(age('year', birth_date, (SELECT toDate(max(pay_time)) FROM payment_detail)) >= 60) FROM beneficiary FINAL WHERE id_number NOT IN (SELECT id_number FROM ref_death)` },
]

/** Shape of the generated city beside what it should be (DOMAIN.md, the issue's realism list). */
const realism: Array<{ name: string; expected: string; sql: string; format?: (value: number) => string }> = [
  { name: '基础养老金低于 143 元的发放', expected: '0', sql: "SELECT countIf(standard < 143) FROM payment_detail WHERE project_code = 'P26'" },
  { name: '基础养老金标准（最早/最新年份）', expected: '143 起逐年上调', sql: "SELECT toFloat64(argMin(standard, period)) * 1000 + toFloat64(argMax(standard, period)) FROM payment_detail WHERE project_code = 'P26' AND status = '成功'",
    format: (v) => `${Math.floor(v / 1000)} → ${Math.round(v % 1000)}` },
  { name: '基础养老金领取人数 ÷ 60 岁及以上', expected: '领取人数少于 60 岁及以上人口', sql: `SELECT (SELECT uniqExact(id_number) FROM payment_detail WHERE project_code = 'P26' AND status = '成功')
      / (SELECT countIf(age('year', birth_date, (SELECT toDate(max(pay_time)) FROM payment_detail)) >= 60) FROM beneficiary FINAL)`, format: (v) => `${(v * 100).toFixed(1)} %` },
  { name: '周末发放占比', expected: '≈ 0（银行工作日发放）', sql: "SELECT countIf(toDayOfWeek(pay_time) >= 6) / count() FROM payment_detail", format: (v) => `${(v * 100).toFixed(2)} %` },
  { name: '80 岁及以上男性占比', expected: '< 50 %（高龄女性居多）', sql: `SELECT avgIf(gender = '男', age('year', birth_date, (SELECT toDate(max(pay_time)) FROM payment_detail)) >= 80) FROM beneficiary FINAL`, format: (v) => `${(v * 100).toFixed(1)} %` },
  { name: '60–69 岁男性占比', expected: '≈ 50 %', sql: `SELECT avgIf(gender = '男', age('year', birth_date, (SELECT toDate(max(pay_time)) FROM payment_detail)) BETWEEN 60 AND 69) FROM beneficiary FINAL`, format: (v) => `${(v * 100).toFixed(1)} %` },
  { name: '最大家庭人数', expected: '≤ 9（户籍人数）', sql: 'SELECT max(members) FROM household FINAL' },
  { name: '退回 / 失败 笔数', expected: '退回约占失败与退回的 3 成', sql: "SELECT countIf(status = '退回') * 1000000 + countIf(status = '失败') FROM payment_detail", format: (v) => `${Math.floor(v / 1e6)} / ${Math.round(v % 1e6)}` },
  { name: '在途 笔数', expected: '—', sql: "SELECT countIf(status = '在途') FROM payment_detail", format: (v) => `${v}（未生成：历史数据均已到账）` },
]

/** Row counts, on-disk size and each article figure beside its generated value. */
export async function seedReport(db: Db): Promise<string[]> {
  const lines: string[] = []
  for (const table of seededTables) lines.push(`  ${table.padEnd(18)} ${(await scalar(db, `SELECT count() FROM \`${table}\``)).toLocaleString('en').padStart(12)} rows`)
  const bytes = await scalar(db, `SELECT sum(bytes_on_disk) FROM system.parts WHERE database = currentDatabase() AND active`)
  lines.push(`  on disk: ${(bytes / 2 ** 20).toFixed(1)} MiB (system.parts, active parts)`)
  const [first, last] = [await scalar(db, 'SELECT min(period) FROM payment_detail'), await scalar(db, 'SELECT max(period) FROM payment_detail')]
  lines.push(`  periods ${first}–${last}`)
  // The run's size against the article's: its payments (all statuses) over the article's.
  const fraction = (await scalar(db, 'SELECT count() FROM payment_detail')) / article.payments
  lines.push(`  article figure          article        at this scale (×${fraction.toFixed(4)})   generated        difference`)
  for (const figure of figures) {
    const divisor = figure.divisor ?? 1
    const target = figure.scales ? figure.article * fraction : figure.article
    const show = (value: number) => `${(value / divisor).toLocaleString('en', { maximumFractionDigits: 2 })} ${figure.unit}`
    const value = figure.sql === null ? null : await scalar(db, figure.sql)
    const difference = value === null ? (figure.note ?? 'not modelled') : target === 0 ? '' : `${value >= target ? '+' : ''}${(((value - target) / target) * 100).toFixed(2)} %`
    lines.push(`  ${figure.name.padEnd(10, '　')} ${show(figure.article).padStart(16)} ${show(target).padStart(22)} ${(value === null ? '—' : show(value)).padStart(16)}   ${difference}`)
  }
  lines.push('  realism                              expected                     generated')
  for (const line of realism) {
    const value = await scalar(db, line.sql)
    lines.push(`  ${line.name.padEnd(18, '　')} ${line.expected.padEnd(20, '　')} ${line.format ? line.format(value) : value.toLocaleString('en')}`)
  }
  return lines
}
