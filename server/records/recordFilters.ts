import { isKnownRegion } from '../../geo/regions'
import { DomainError } from '../domainError'
import { inScope, type Principal } from '../access/principal'
import { recordsRegionLimit } from './regionScope'
import { join, MAX_PAGE_SIZE, param, sql, trusted, type SqlFragment } from '../sql'
import { getRule } from '../rules/catalog/index'
import { PAYMENT_STATUSES, type PaymentStatus } from '../../dashboards/paymentStatus'

/** The filters of GET /api/records and its CSV export, validated; anything else is refused. */
export interface RecordFilter {
  region: string
  project?: string
  period?: number
  status?: PaymentStatus
  /** only payments a flag of this rule names (R01 …) */
  rule?: string
  /** only the payments behind this flag (a flag → its records) */
  flag?: string
  sort?: RecordSort
  page: number
  pageSize: number
}

/** Sort orders staff may ask for; each maps to a fixed ORDER BY (never a column name from the URL). */
export const RECORD_SORTS = {
  'time-desc': 'pay_time DESC, detail_id',
  'time-asc': 'pay_time ASC, detail_id',
  'amount-desc': 'amount_paid DESC, detail_id',
  'amount-asc': 'amount_paid ASC, detail_id',
  'period-desc': 'period DESC, pay_time DESC, detail_id',
} as const
export type RecordSort = keyof typeof RECORD_SORTS
export const orderBy = (sort: RecordSort | undefined): SqlFragment => trusted(RECORD_SORTS[sort ?? 'time-desc'])


const MAX_PAGE = 10_000

export function parseRecordFilter(query: URLSearchParams, who: Principal): RecordFilter {
  const region = query.get('region') || who.scope
  if (!isKnownRegion(region)) throw new DomainError('invalid', '未知的地区代码')
  // Asking outside one's scope is refused outright; the SQL below also limits rows to the scope.
  if (!inScope(who, region)) throw new DomainError('forbidden', '该地区不在您的权限范围内')

  const project = query.get('project') || undefined
  if (project !== undefined && !/^[A-Za-z0-9_-]{1,16}$/.test(project)) throw new DomainError('invalid', '项目代码无效')

  const periodText = query.get('period') || undefined
  if (periodText !== undefined && !/^20[0-9]{2}(0[1-9]|1[0-2])$/.test(periodText)) throw new DomainError('invalid', '期间须为 YYYYMM')

  const status = query.get('status') || undefined
  if (status !== undefined && !PAYMENT_STATUSES.includes(status as PaymentStatus)) throw new DomainError('invalid', `状态须为 ${PAYMENT_STATUSES.join('/')}`)

  const rule = query.get('rule') || undefined
  if (rule !== undefined && !getRule(rule)) throw new DomainError('invalid', `未知规则 ${rule.slice(0, 16)}`)

  const flag = query.get('flag') || undefined
  if (flag !== undefined && !/^[\w.:-]{1,64}$/.test(flag)) throw new DomainError('invalid', '预警编号无效')

  const sort = query.get('sort') || undefined
  if (sort !== undefined && !(sort in RECORD_SORTS)) throw new DomainError('invalid', `排序须为 ${Object.keys(RECORD_SORTS).join('/')}`)

  const page = positiveInt(query.get('page'), 1, MAX_PAGE, 'page')
  const pageSize = positiveInt(query.get('pageSize'), 20, MAX_PAGE_SIZE, 'pageSize')
  return { region, project, period: periodText ? Number(periodText) : undefined, status: status as PaymentStatus | undefined, rule, flag, sort: sort as RecordSort | undefined, page, pageSize }
}

function positiveInt(text: string | null, fallback: number, max: number, name: string): number {
  if (text === null || text === '') return fallback
  if (!/^[0-9]{1,6}$/.test(text) || Number(text) < 1 || Number(text) > max) throw new DomainError('invalid', `${name} 须为 1–${max} 的整数`)
  return Number(text)
}

/** WHERE clause: the principal's scope AND the requested region AND the filters, all parameters. */
export function recordWhere(filter: RecordFilter, who: Principal): SqlFragment {
  const parts = [recordsRegionLimit(who.scope, 'scope'), recordsRegionLimit(filter.region, 'region')]
  if (filter.project) parts.push(sql`project_code = ${param('project', 'String', filter.project)}`)
  if (filter.period) parts.push(sql`period = ${param('period', 'UInt32', filter.period)}`)
  if (filter.status) parts.push(sql`status = ${param('status', 'String', filter.status)}`)
  if (filter.rule) parts.push(sql`detail_id IN (SELECT arrayJoin(detail_ids) FROM flag WHERE rule_id = ${param('rule', 'String', filter.rule)})`)
  if (filter.flag) parts.push(sql`detail_id IN (SELECT arrayJoin(detail_ids) FROM flag WHERE flag_id = ${param('flag', 'String', filter.flag)})`)
  return join(parts, ' AND ')
}

/** The filter as written to the audit log (codes and numbers only, no personal data). */
export function describeFilter(filter: RecordFilter): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined))
}
