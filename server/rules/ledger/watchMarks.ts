import type { Db } from '../../db/client'
import type { Principal } from '../../access/principal'
import { isKnownRegion, isWithin } from '../../../geo/regions'
import { DomainError } from '../../domainError'
import { rowRegion, scopeCondition } from '../scope'
import { insertRows, select } from '../sql'
import { redactPersonalData } from '../../access/personalDataScan'
import { beijingDateTimeMs } from '../../beijingTime'

/**
 * 监督关注留痕: a supervisor marks a record, flag or region as watched, and every look is traced
 * (who, when, what). Append-only; the current marks are the latest mark/unmark per person and target.
 */
export type WatchTarget = 'record' | 'flag' | 'region'
export type WatchAction = 'mark' | 'unmark' | 'view'

export interface WatchInput {
  kind: WatchTarget
  id: string
  action: WatchAction
  note?: string
}

export async function recordWatch(db: Db, who: Principal, input: WatchInput): Promise<{ regionCode: string }> {
  const regionCode = await regionOfTarget(db, who, input.kind, input.id)
  await insertRows(db, 'watch_mark', [
    {
      at: beijingDateTimeMs(),
      who: who.id,
      who_name: who.name,
      role: who.role,
      target_kind: input.kind,
      target_id: input.id,
      region_code: regionCode,
      action: input.action,
      note: input.note ?? '',
    },
  ])
  return { regionCode }
}

/** Targets the principal currently watches (marked and not unmarked since). */
export async function listWatched(db: Db, who: Principal): Promise<Array<{ target_kind: WatchTarget; target_id: string; region_code: string; marked_at: string }>> {
  return select(
    db,
    `SELECT target_kind, target_id, any(region_code) AS region_code, maxIf(at, action = 'mark') AS marked_at
     FROM watch_mark
     WHERE who = {who:String} AND action IN ('mark', 'unmark')
     GROUP BY target_kind, target_id
     HAVING argMax(action, at) = 'mark'
     ORDER BY marked_at DESC`,
    { who: who.id },
  )
}

/**
 * The trail of one target: every mark, unmark and view, newest first. Watching is the
 * supervisors' tool: they see the whole trail; anyone else sees only their own entries, so the
 * staff being watched cannot read who watches them or why. Notes leave masked (free text).
 */
export async function watchTrail(db: Db, who: Principal, kind: WatchTarget, id: string) {
  await regionOfTarget(db, who, kind, id)
  const rows = await select<{ at: string; who: string; who_name: string; role: string; action: WatchAction; note: string }>(
    db,
    `SELECT at, who, who_name, role, action, note FROM watch_mark
     WHERE target_kind = {kind:String} AND target_id = {id:String}
       AND ({everyone:UInt8} OR who = {viewer:String})
     ORDER BY at DESC LIMIT 500`,
    { kind, id, everyone: who.role === 'supervisor' ? 1 : 0, viewer: who.id },
  )
  return rows.map((row) => ({ ...row, note: redactPersonalData(row.note) }))
}

/** The target's region, checked against the principal's scope (404 when outside or unknown). */
async function regionOfTarget(db: Db, who: Principal, kind: WatchTarget, id: string): Promise<string> {
  const scope = scopeCondition(who.scope)
  if (kind === 'region') {
    if (!isKnownRegion(id)) throw new DomainError('invalid', `未知的地区代码 ${id}`)
    if (!isWithin(id, who.scope)) throw new DomainError('notFound', `地区 ${id} 不在您的管辖范围内`)
    return id
  }
  const table = kind === 'flag' ? 'flag' : 'payment_detail'
  const key = kind === 'flag' ? 'flag_id' : 'detail_id'
  const [row] = await select<{ county_code: string; town_code: string; village_code: string }>(
    db,
    `SELECT county_code, town_code, village_code FROM ${table} WHERE ${key} = {id:String} AND ${scope.sql} LIMIT 1`,
    { id, ...scope.params },
  )
  if (!row) throw new DomainError('notFound', `${kind === 'flag' ? '预警' : '记录'} ${id} 不存在或不在您的管辖范围内`)
  return rowRegion(row)
}
