import type { Db } from '../db/client'
import { article } from './params'
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
  { name: '监督岗位', article: 160, unit: '个', scales: false, sql: null, note: 'not modelled' },
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
  return lines
}
