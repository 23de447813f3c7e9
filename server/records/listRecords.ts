import { z } from 'zod'
import type { Db } from '../db/client'
import type { Principal } from '../access/principal'
import { maskRecord } from '../access/mask'
import { orderBy, recordWhere, type RecordFilter } from './recordFilters'
import { flagsOfRecords, type RecordFlag } from './flagsOfRecords'
import { projectName } from '../catalogue/projectFacts'
import { param, select, selectFirst, selectPage, sql, trusted, type SqlFragment } from '../sql'

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

// Values pass as ClickHouse writes them (Decimal and UInt64 as text): masking and the CSV keep that form.
const cell = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])
const recordRow = z.object(Object.fromEntries(RECORD_COLUMNS.map((column) => [column, cell]))) as unknown as z.ZodType<RecordRow>
const SELECT_RECORDS = trusted(`SELECT ${RECORD_COLUMNS.join(', ')} FROM payment_detail`)

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
  const [rows, { total, asOf }] = await Promise.all([
    selectPage(db, sql`${SELECT_RECORDS} WHERE ${where} ORDER BY ${orderBy(filter.sort)}`, filter, recordRow),
    countRows(db, where),
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

/** The first `limit` rows (unmasked: callers mask before anything leaves the server), for the CSV export. */
export async function firstRecords(db: Db, where: SqlFragment, order: SqlFragment, limit: number): Promise<RecordRow[]> {
  return select(db, sql`${SELECT_RECORDS} WHERE ${where} ORDER BY ${order} LIMIT ${param('limit', 'UInt32', limit)}`, recordRow)
}

const countRow = z.object({ n: z.coerce.number(), newest: z.string() })

async function countRows(db: Db, where: SqlFragment): Promise<{ total: number; asOf: string | null }> {
  const row = await selectFirst(
    db,
    sql`SELECT count() AS n, if(n = 0, '', formatDateTime(max(pay_time), '%Y-%m-%dT%H:%i:%S+08:00', 'Asia/Shanghai')) AS newest
        FROM payment_detail WHERE ${where}`,
    countRow,
  )
  return { total: row?.n ?? 0, asOf: row?.newest || null }
}
