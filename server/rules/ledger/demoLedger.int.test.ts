import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/client'
import { openTempDb } from '../../testing/tempDb'
import { startRuleEngine } from '../engine'
import { select } from '../sql'
import { completeChain, insert, payment, person, PLACES, TODAY } from '../test/fixture'
import { serveRuleRoutes } from '../test/harness'
import { tokenAuth } from '../../testing/tokenAuth'
import { seedDemoLedger, type DemoLedgerResult } from './demoLedger'

/**
 * The demo ledger over real flags: twelve people paid twice (R02, critical: up to 12 items) in two
 * counties and one 84-year-old
 * without 高龄津贴 (R25) go through the real engine, then seedDemoLedger turns them into ledger
 * items and moves the lead on, through the ledger functions; the routes tell the wall.
 */
let db: Db
let server: Awaited<ReturnType<typeof serveRuleRoutes>>
let first: DemoLedgerResult
const changes: string[] = []
const principals = { city: { id: 'u-city', name: '市纪委督查员', role: 'supervisor', scope: '511000' } } as const

beforeAll(async () => {
  db = await openTempDb()
  const elder = person('1940-01-01')
  await insert(db, 'beneficiary', [{ ...elder, ...PLACES.a, bank: '农业银行' }])
  const paidTwice = Array.from({ length: 12 }, (_, i) => {
    const who = person()
    const place = i % 2 ? PLACES.b : PLACES.a
    return [payment(who, place), payment(who, { ...place, pay_time: '2024-09-20 10:00:00' })]
  })
  await insert(db, 'payment_detail', [...paidTwice.flat(), payment(person())])
  await completeChain(db)
  server = await serveRuleRoutes(db, tokenAuth(principals))
  server.ctx.dataChanged = (kind) => void changes.push(kind)
  const engine = startRuleEngine(server.ctx, { today: () => TODAY, initialPass: false })
  await engine.runNow()
  await engine.stop()
  first = await seedDemoLedger(server.ctx, { today: '2024-10-22' })
})

afterAll(async () => {
  await server?.close()
  await db?.close()
})

describe('seedDemoLedger', () => {
  it('turns every non-R25 flag into an item owned by the paying department, with deadlines around the day', async () => {
    const [flags] = await select<{ n: string }>(db, "SELECT count() AS n FROM flag FINAL WHERE rule_id != 'R25'")
    expect(Number(flags.n)).toBe(12)
    expect(first.items).toBe(12)
    const items = await select<{ owner_dept: string; owner_person: string; deadline: string; county_code: string }>(db, 'SELECT * FROM ledger_item FINAL')
    expect(items).toHaveLength(12)
    for (const item of items) {
      // P26 is paid by 人社; the county names the office.
      expect(item.owner_dept).toBe(item.county_code === '511002' ? '市中区人社局' : '东兴区人社局')
      expect(item.owner_person).toMatch(/^人社局-.(科长|股长|副局长|主任)$/)
      expect(item.deadline >= '2024-09-22' && item.deadline <= '2024-12-06').toBe(true)
    }
  })

  it('moves items through the states with the history the ledger functions write', async () => {
    const byStatus = await select<{ status: string; n: string }>(db, 'SELECT status, count() AS n FROM ledger_item FINAL GROUP BY status')
    const counts = Object.fromEntries(byStatus.map((row) => [row.status, Number(row.n)]))
    expect(counts).toEqual({ 待核实: 4, 整改中: 3, 已销号: 3, 核实无问题: 2 })
    expect(first).toMatchObject({ closed: 3, cleared: 2 })
    const history = await select<{ action: string; to_status: string; note: string }>(db, 'SELECT action, to_status, note FROM ledger_event')
    expect(history.filter((event) => event.action === '创建')).toHaveLength(12)
    expect(history.filter((event) => event.action === '补充证据').map((event) => event.note)).toEqual(Array(3).fill('重复发放资金已追回，系统已增加同期重复校验'))
    expect(history.filter((event) => event.to_status === '核实无问题').every((event) => event.note.length > 0)).toBe(true)
  })

  it('moves the 政策找人 lead on and tells the wall about both', async () => {
    expect(first.followupsMoved).toBe(1)
    const [lead] = await select<{ status: string }>(db, 'SELECT status FROM followup FINAL')
    expect(lead.status).toBe('已纳入')
    expect(changes).toEqual(expect.arrayContaining(['ledger', 'outreach']))
  })

  it('does nothing the second time', async () => {
    const again = await seedDemoLedger(server.ctx)
    expect(again).toEqual({ items: 0, closed: 0, cleared: 0, followupsMoved: 0 })
    const [events] = await select<{ n: string }>(db, 'SELECT count() AS n FROM ledger_event')
    expect(Number(events.n)).toBe(12 + 6 + 3 + 3 + 2) // 创建, 整改中, 补充证据, 已销号, 核实无问题
  })
})

describe('ledger and follow-up routes', () => {
  it('tell the wall that the ledger changed', async () => {
    changes.length = 0
    const [item] = await select<{ item_id: string }>(db, "SELECT item_id FROM ledger_item FINAL WHERE status = '待核实' LIMIT 1")
    const response = await fetch(`${server.url}/api/ledger/${item.item_id}/transition`, {
      method: 'POST',
      headers: { authorization: 'Bearer city', 'content-type': 'application/json' },
      body: JSON.stringify({ to: '整改中', note: '开始整改' }),
    })
    expect(response.status).toBe(200)
    expect(changes).toEqual(['ledger'])
  })
})
