import type { Db } from '../../db/client'
import type { Principal } from '../../access/principal'
import { DomainError } from '../../domainError'
import { getRule } from '../catalog/index'
import { scopeCondition } from '../scope'
import { checkTransition, isEscalated, isLedgerStatus, LedgerError, type LedgerStatus } from './stateMachine'
import { serialized } from './serialized'
import { select } from '../sql'
import { redactPersonalData } from '../../access/personalDataScan'
import { beijingDateTimeMs, beijingDay } from '../../beijingTime'

export interface LedgerItem {
  item_id: string
  flag_id: string
  rule_id: string
  county_code: string
  town_code: string
  village_code: string
  title: string
  owner_dept: string
  owner_person: string
  deadline: string
  status: LedgerStatus
  created_by: string
  created_at: string
  updated_at: string
  closed_at: string | null
  version: number
}

export interface LedgerEvent {
  item_id: string
  at: string
  who: string
  who_name: string
  action: '创建' | '状态变更' | '补充证据'
  from_status: string
  to_status: string
  note: string
}

export interface NewLedgerItem {
  flagId: string
  ownerDept: string
  ownerPerson: string
  /** 'YYYY-MM-DD' */
  deadline: string
  note?: string
}

/** One ledger item per flag; its id is derived from the flag's, so a double submit cannot make two. */
export function ledgerItemId(flagId: string): string {
  return `TZ-${flagId}`
}

/** 清单制 + 责任制: a flag inside the principal's scope becomes an item with an owner and a deadline. */
export async function createLedgerItem(db: Db, who: Principal, input: NewLedgerItem): Promise<LedgerItem> {
  const itemId = ledgerItemId(input.flagId)
  return serialized(itemId, async () => {
    const scope = scopeCondition(who.scope)
    const flags = await select<{ rule_id: string; county_code: string; town_code: string; village_code: string; subject: string }>(
      db,
      `SELECT rule_id, county_code, town_code, village_code, subject FROM flag FINAL
       WHERE flag_id = {flagId:String} AND ${scope.sql} LIMIT 1`,
      { flagId: input.flagId, ...scope.params },
    )
    const flag = flags[0]
    if (!flag) throw new DomainError('notFound', `预警 ${input.flagId} 不存在或不在您的管辖范围内`)
    if (await findItem(db, itemId)) throw new DomainError('conflict', `预警 ${input.flagId} 已建立台账 ${itemId}`)
    const now = beijingDateTimeMs()
    const item: LedgerItem = {
      item_id: itemId,
      flag_id: input.flagId,
      rule_id: flag.rule_id,
      county_code: flag.county_code,
      town_code: flag.town_code,
      village_code: flag.village_code,
      title: `${getRule(flag.rule_id)?.name ?? flag.rule_id}：${flag.subject}`,
      owner_dept: input.ownerDept,
      owner_person: input.ownerPerson,
      deadline: input.deadline,
      status: '待核实',
      created_by: who.id,
      created_at: now,
      updated_at: now,
      closed_at: null,
      version: 1,
    }
    await db.client.insert({ table: 'ledger_item', values: [item], format: 'JSONEachRow' })
    await appendEvent(db, { item_id: itemId, at: now, who: who.id, who_name: who.name, action: '创建', from_status: '', to_status: '待核实', note: input.note ?? '' })
    return item
  })
}

/** 销号制: moves an item along the state machine; illegal moves throw LedgerError. */
export async function transitionLedgerItem(db: Db, who: Principal, itemId: string, to: string, note = ''): Promise<LedgerItem> {
  return serialized(itemId, async () => {
    const item = await requireItemInScope(db, who, itemId)
    const next = checkTransition(itemId, item.status, to, note)
    const now = beijingDateTimeMs()
    const updated: LedgerItem = {
      ...item,
      status: next,
      updated_at: now,
      closed_at: next === '已销号' || next === '核实无问题' ? now : null,
      version: item.version + 1,
    }
    await db.client.insert({ table: 'ledger_item', values: [updated], format: 'JSONEachRow' })
    await appendEvent(db, { item_id: itemId, at: now, who: who.id, who_name: who.name, action: '状态变更', from_status: item.status, to_status: next, note })
    return updated
  })
}

/** Evidence of rectification, kept in the history without changing the state. */
export async function addLedgerEvidence(db: Db, who: Principal, itemId: string, note: string): Promise<void> {
  const item = await requireItemInScope(db, who, itemId)
  if (note.trim() === '') throw new LedgerError(itemId, item.status, item.status, '证据说明不能为空')
  await appendEvent(db, { item_id: itemId, at: beijingDateTimeMs(), who: who.id, who_name: who.name, action: '补充证据', from_status: item.status, to_status: item.status, note })
}

export interface LedgerQuery {
  status?: string
  rule?: string
  /** only items shown as 督办 (open and past deadline) */
  escalated?: boolean
  page: number
  pageSize: number
}

export async function listLedgerItems(db: Db, scope: string, query: LedgerQuery): Promise<{ total: number; items: Array<LedgerItem & { escalated: boolean }> }> {
  const where = scopeCondition(scope)
  const conditions = [where.sql]
  const params: Record<string, unknown> = { ...where.params, today: beijingDay(), limit: query.pageSize, offset: (query.page - 1) * query.pageSize }
  if (query.status) {
    if (!isLedgerStatus(query.status)) throw new DomainError('invalid', `未知的台账状态 ${query.status}`)
    conditions.push('status = {status:String}')
    params.status = query.status
  }
  if (query.rule) {
    conditions.push('rule_id = {rule:String}')
    params.rule = query.rule
  }
  if (query.escalated) conditions.push(`status IN ('待核实', '整改中') AND deadline < {today:Date}`)
  const filter = conditions.join(' AND ')
  const [counted] = await select<{ total: string }>(db, `SELECT count() AS total FROM ledger_item FINAL WHERE ${filter}`, params)
  const items = await select<LedgerItem>(
    db,
    `SELECT * FROM ledger_item FINAL WHERE ${filter} ORDER BY deadline, item_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    params,
  )
  const today = beijingDay()
  return { total: Number(counted.total), items: items.map((item) => ({ ...item, version: Number(item.version), escalated: isEscalated(item.status, item.deadline, today) })) }
}

export async function getLedgerItem(db: Db, who: Principal, itemId: string): Promise<{ item: LedgerItem & { escalated: boolean }; history: LedgerEvent[] }> {
  const item = await requireItemInScope(db, who, itemId)
  const history = await select<LedgerEvent>(db, 'SELECT * FROM ledger_event WHERE item_id = {itemId:String} ORDER BY at', { itemId })
  // Notes are free text: an ID, phone or card number typed into one leaves masked, like any record.
  const masked = history.map((event) => ({ ...event, note: redactPersonalData(event.note) }))
  return { item: { ...item, escalated: isEscalated(item.status, item.deadline, beijingDay()) }, history: masked }
}

async function requireItemInScope(db: Db, who: Principal, itemId: string): Promise<LedgerItem> {
  const scope = scopeCondition(who.scope)
  const [item] = await select<LedgerItem>(
    db,
    `SELECT * FROM ledger_item FINAL WHERE item_id = {itemId:String} AND ${scope.sql} LIMIT 1`,
    { itemId, ...scope.params },
  )
  if (!item) throw new DomainError('notFound', `台账 ${itemId} 不存在或不在您的管辖范围内`)
  return { ...item, version: Number(item.version) }
}

async function findItem(db: Db, itemId: string): Promise<boolean> {
  const rows = await select(db, 'SELECT 1 FROM ledger_item WHERE item_id = {itemId:String} LIMIT 1', { itemId })
  return rows.length > 0
}

async function appendEvent(db: Db, event: LedgerEvent): Promise<void> {
  await db.client.insert({ table: 'ledger_event', values: [event], format: 'JSONEachRow' })
}
