import type { Db } from '../db/client'
import type { Principal } from '../access/principal'
import { maskRecord } from '../access/mask'
import { orderBy, recordWhere, type RecordFilter } from './recordFilters'
import { flagsOfRecords, type RecordFlag } from './flagsOfRecords'
import { projectName } from '../catalogue/projectFacts'

/**
 * Payment details behind a figure, one page at a time, personal fields masked. Birth dates are
 * left out altogether (the age at payment says what a reviewer needs).
 */
export const RECORD_COLUMNS = [
  'detail_id', 'batch_id', 'period', 'project_code', 'dept', 'paying_unit', 'county_code', 'town_code', 'village_code',
  'household_id', 'person_name', 'id_number', 'gender', 'age_years', 'card_number', 'account_holder', 'holder_id_number',
  'bank', 'phone', 'base_quantity', 'standard', 'amount_due', 'amount_paid', 'pay_time', 'status', 'failure_reason',
  'reissue_of', 'plan_id', 'voucher_id', 'indicator_doc', 'fund_level', 'proxy_held', 'proxy_holder_id',
  'proxy_holder_name', 'prereview_hits',
] as const

export type RecordRow = Record<(typeof RECORD_COLUMNS)[number], unknown>

export interface RecordPage {
  /** masked rows, each with its project's name and the flags that name it */
  rows: Array<RecordRow & { project_name: string; flags: RecordFlag[] }>
  total: number
  page: number
  pageSize: number
  /** newest pay time among the matching rows (Beijing time, ISO): the page's 数据截至 */
  asOf: string | null
}

export async function listRecords(db: Db, who: Principal, filter: RecordFilter): Promise<RecordPage> {
  const where = recordWhere(filter, who)
  const offset = (filter.page - 1) * filter.pageSize
  const [rows, { total, asOf }] = await Promise.all([
    queryRows(db, where.sql, where.params, filter.pageSize, offset, orderBy(filter.sort)),
    countRows(db, where.sql, where.params),
  ])
  const flags = await flagsOfRecords(db, rows.map((row) => String(row.detail_id)))
  return {
    rows: rows.map((row) => ({ ...maskRecord(row), project_name: projectName(String(row.project_code)), flags: flags.get(String(row.detail_id)) ?? [] })),
    total,
    page: filter.page,
    pageSize: filter.pageSize,
    asOf,
  }
}

/** Raw rows (unmasked): callers mask before anything leaves the server. */
export async function queryRows(db: Db, where: string, params: Record<string, unknown>, limit: number, offset: number, order: string = orderBy(undefined)): Promise<RecordRow[]> {
  const result = await db.client.query({
    query: `SELECT ${RECORD_COLUMNS.join(', ')}
            FROM payment_detail
            WHERE ${where}
            ORDER BY ${order}
            LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    query_params: { ...params, limit, offset },
    format: 'JSONEachRow',
  })
  return result.json<RecordRow>()
}

async function countRows(db: Db, where: string, params: Record<string, unknown>): Promise<{ total: number; asOf: string | null }> {
  const result = await db.client.query({
    query: `SELECT count() AS n, if(n = 0, '', formatDateTime(max(pay_time), '%Y-%m-%dT%H:%i:%S+08:00', 'Asia/Shanghai')) AS newest
            FROM payment_detail WHERE ${where}`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ n: string | number; newest: string }>()
  return { total: Number(row.n), asOf: row.newest || null }
}
