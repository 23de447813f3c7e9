import type { Db } from '../../db/client'
import { DomainError } from '../../domainError'
import { getRegion } from '../../../geo/regions'
import { getRule } from '../catalog/index'
import { rowRegion, scopeCondition } from '../scope'
import { select } from '../sql'
import { amountsWithinScope } from './scopedAmounts'
import { isoFromBeijing } from '../../beijingTime'

/**
 * Flag status as people see it: the ledger item's state; for a 政策找人 lead (R25) without one, the
 * follow-up's end (已纳入 / 不符合) once it has one; otherwise no ledger item yet (未建账).
 */
export const FLAG_STATUSES = ['open', '未建账', '待核实', '整改中', '已销号', '核实无问题', '已纳入', '不符合'] as const

/**
 * 未处置: the one definition every panel and list uses. A finished 政策找人 lead (enrolled or
 * rejected) is handled, though it never had a ledger item.
 */
export const OPEN_FLAG_STATUSES = ['未建账', '待核实', '整改中'] as const

export interface FlagQuery {
  rule?: string
  severity?: string
  /** a region inside the principal's scope */
  region?: string
  status?: string
  page: number
  pageSize: number
}

export interface FlagListItem {
  flagId: string
  ruleId: string
  ruleName: string
  severity: string
  class: string
  regionCode: string
  regionName: string
  amount: number | null
  subject: string
  detectedAt: string
  status: string
  ledgerItemId: string | null
}

/**
 * The ledger state joined to each flag; '' when no item exists. `flagCondition` (SQL over the flag
 * table's columns, values as parameters) keeps only some flags before the join: a panel that needs
 * a few flags out of many pays for those few, not for the status of every flag.
 */
export function flagsWithStatus(flagCondition = ''): string {
  return `
SELECT f.*, multiIf(l.item_id != '', toString(l.status),
                    f.flag_id IN (SELECT followup_id FROM followup FINAL WHERE status = '已纳入'), '已纳入',
                    f.flag_id IN (SELECT followup_id FROM followup FINAL WHERE status = '不符合'), '不符合',
                    '未建账') AS status,
       l.item_id AS ledger_item_id
FROM (SELECT * FROM flag FINAL${flagCondition ? ` WHERE ${flagCondition}` : ''}) AS f
LEFT JOIN (SELECT flag_id, item_id, status FROM ledger_item FINAL) AS l ON l.flag_id = f.flag_id`
}

/** Every flag with its status. Shared with the wall metrics. */
export const FLAGS_WITH_STATUS = flagsWithStatus()

export async function listFlags(db: Db, scope: string, query: FlagQuery): Promise<{ total: number; items: FlagListItem[] }> {
  const inScope = scopeCondition(scope, '', 'scope')
  const conditions = [inScope.sql]
  const params: Record<string, unknown> = { ...inScope.params, limit: query.pageSize, offset: (query.page - 1) * query.pageSize }
  if (query.region) {
    const region = scopeCondition(query.region, '', 'region')
    conditions.push(region.sql)
    Object.assign(params, region.params)
  }
  if (query.rule) {
    if (!getRule(query.rule)) throw new DomainError('invalid', `未知规则 ${query.rule}`)
    conditions.push('rule_id = {rule:String}')
    params.rule = query.rule
  }
  if (query.severity) {
    if (!['info', 'warn', 'critical'].includes(query.severity)) throw new DomainError('invalid', `未知预警等级 ${query.severity}`)
    conditions.push('severity = {severity:String}')
    params.severity = query.severity
  }
  if (query.status) {
    if (!(FLAG_STATUSES as readonly string[]).includes(query.status)) throw new DomainError('invalid', `未知状态 ${query.status}`)
    conditions.push(query.status === 'open' ? 'status IN {openStatuses:Array(String)}' : 'status = {status:String}')
    params.status = query.status
    params.openStatuses = [...OPEN_FLAG_STATUSES]
  }
  const filter = conditions.join(' AND ')
  const [counted] = await select<{ total: string }>(db, `SELECT count() AS total FROM (${FLAGS_WITH_STATUS}) WHERE ${filter}`, params)
  const rows = await select<FlagRow & { detail_ids: string[] }>(
    db,
    `SELECT flag_id, rule_id, severity, class, county_code, town_code, village_code, amount, subject, detected_at, status, ledger_item_id, detail_ids
     FROM (${FLAGS_WITH_STATUS}) WHERE ${filter}
     ORDER BY detected_at DESC, flag_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    params,
  )
  return { total: Number(counted.total), items: (await amountsWithinScope(db, scope, rows)).map(toListItem) }
}

export interface FlagRow {
  flag_id: string
  rule_id: string
  severity: string
  class: string
  county_code: string
  town_code: string
  village_code: string
  amount: number | string | null
  subject: string
  detected_at: string
  status: string
  ledger_item_id: string
}

export function toListItem(row: FlagRow): FlagListItem {
  const regionCode = rowRegion(row)
  return {
    flagId: row.flag_id,
    ruleId: row.rule_id,
    ruleName: getRule(row.rule_id)?.name ?? row.rule_id,
    severity: row.severity,
    class: row.class,
    regionCode,
    regionName: getRegion(regionCode)?.name ?? regionCode,
    amount: row.amount === null ? null : Number(row.amount),
    subject: row.subject,
    detectedAt: isoFromBeijing(row.detected_at),
    status: row.status,
    ledgerItemId: row.ledger_item_id || null,
  }
}
