import type { Db } from '../../db/client'
import type { Principal } from '../../access/principal'
import { DomainError } from '../../domainError'
import type { StoredFlag } from '../evaluate'
import { scopeCondition } from '../scope'
import { insertRows, select } from '../sql'
import { serialized } from './serialized'
import { beijingDateTimeMs } from '../../beijingTime'

/**
 * 政策找人 follow-ups: each R25 flag becomes a lead, 疑似 → 已核实 → 已纳入, or 不符合 when a visit
 * shows the person is not eligible after all. Current state in `followup` (FINAL), history in
 * `followup_event`.
 */
export const FOLLOWUP_STATUSES = ['疑似', '已核实', '已纳入', '不符合'] as const
export type FollowupStatus = (typeof FOLLOWUP_STATUSES)[number]

const MOVES: Record<FollowupStatus, readonly FollowupStatus[]> = {
  疑似: ['已核实', '不符合'],
  已核实: ['已纳入', '不符合'],
  已纳入: [],
  不符合: [],
}

export class FollowupError extends Error {
  constructor(id: string, from: string, to: string, reason: string) {
    super(`线索 ${id}：不能从「${from}」变更为「${to}」：${reason}`)
    this.name = 'FollowupError'
  }
}

export interface Followup {
  followup_id: string
  kind: string
  county_code: string
  town_code: string
  village_code: string
  subject: string
  status: FollowupStatus
  created_at: string
  updated_at: string
  version: number
}

/** The kind is the last part of an R25 case key (`id_number|kind`); the id never leaves the flag. */
export async function createFollowupsFromFlags(db: Db, flags: readonly StoredFlag[]): Promise<void> {
  const now = beijingDateTimeMs()
  const rows: Followup[] = flags.map((flag) => ({
    followup_id: flag.flag_id,
    kind: flag.case_key.split('|').at(-1) ?? '',
    county_code: flag.county_code,
    town_code: flag.town_code,
    village_code: flag.village_code,
    subject: flag.subject,
    status: '疑似',
    created_at: now,
    updated_at: now,
    version: 1,
  }))
  await insertRows(db, 'followup', rows)
}

export interface FollowupQuery {
  status?: string
  kind?: string
  page: number
  pageSize: number
}

export async function listFollowups(db: Db, scope: string, query: FollowupQuery): Promise<{ total: number; items: Followup[] }> {
  const where = scopeCondition(scope)
  const conditions = [where.sql]
  const params: Record<string, unknown> = { ...where.params, limit: query.pageSize, offset: (query.page - 1) * query.pageSize }
  if (query.status) {
    if (!(FOLLOWUP_STATUSES as readonly string[]).includes(query.status)) throw new DomainError('invalid', `未知的线索状态 ${query.status}`)
    conditions.push('status = {status:String}')
    params.status = query.status
  }
  if (query.kind) {
    conditions.push('kind = {kind:String}')
    params.kind = query.kind
  }
  const filter = conditions.join(' AND ')
  const [counted] = await select<{ total: string }>(db, `SELECT count() AS total FROM followup FINAL WHERE ${filter}`, params)
  const items = await select<Followup>(
    db,
    `SELECT * FROM followup FINAL WHERE ${filter} ORDER BY created_at DESC, followup_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    params,
  )
  return { total: Number(counted.total), items: items.map((item) => ({ ...item, version: Number(item.version) })) }
}

export async function transitionFollowup(db: Db, who: Principal, id: string, to: string, note = ''): Promise<Followup> {
  return serialized(`followup:${id}`, async () => {
    const scope = scopeCondition(who.scope)
    const [current] = await select<Followup>(
      db,
      `SELECT * FROM followup FINAL WHERE followup_id = {id:String} AND ${scope.sql} LIMIT 1`,
      { id, ...scope.params },
    )
    if (!current) throw new DomainError('notFound', `线索 ${id} 不存在或不在您的管辖范围内`)
    if (!(FOLLOWUP_STATUSES as readonly string[]).includes(to)) throw new FollowupError(id, current.status, to, '未知状态')
    const next = to as FollowupStatus
    if (!MOVES[current.status].includes(next)) throw new FollowupError(id, current.status, to, MOVES[current.status].length ? `只能变更为 ${MOVES[current.status].join('、')}` : '该线索已办结')
    if (next === '不符合' && note.trim() === '') throw new FollowupError(id, current.status, to, '须填写不符合的理由')
    const now = beijingDateTimeMs()
    const updated: Followup = { ...current, status: next, updated_at: now, version: Number(current.version) + 1 }
    await insertRows(db, 'followup', [updated])
    await insertRows(db, 'followup_event', [{ followup_id: id, at: now, who: who.id, who_name: who.name, from_status: current.status, to_status: next, note }])
    return updated
  })
}
