import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTempDb } from '../../testing/tempDb'
import type { Db } from '../../db/client'
import { runMetric } from '../registry'
import { monthLabel } from '../sql/time'
import { beijingMonth } from '../../beijingTime'

/**
 * The leader's questions on a handful of flags and ledger items whose answers are worked out by
 * hand: money at stake in open 重大 flags, problem villages by amount, time to rectify, late departments.
 */
const C = '511025' // 资中县
const T = '511025100'
const V1 = '511025100001'
const V2 = '511025100002'
let db: Db

function flag(id: string, severity: 'critical' | 'warn', village: string, amount: number) {
  return {
    flag_id: id, rule_id: severity === 'critical' ? 'R01' : 'R05', case_key: id, severity, class: '资格', county_code: C, town_code: village ? T : '',
    village_code: village, amount, subject: '张*', detail_ids: [], detected_at: '2026-11-01 10:00:00',
  }
}
function item(id: string, flagId: string, status: string, dept: string, created: string, closed: string | null, deadline: string) {
  return {
    item_id: id, flag_id: flagId, rule_id: 'R01', county_code: C, town_code: T, village_code: V1, title: '问题', owner_dept: dept, owner_person: '李*',
    deadline, status, created_by: 'admin', created_at: created, updated_at: created, closed_at: closed, version: 1,
  }
}

beforeAll(async () => {
  db = await openTempDb()
  await db.client.insert({
    table: 'flag',
    format: 'JSONEachRow',
    values: [
      flag('F1', 'critical', V1, 1000), // open (no ledger item)
      flag('F2', 'critical', V2, 500), // open (整改中)
      flag('F3', 'critical', V1, 9000), // closed (已销号): not at stake
      flag('F4', 'warn', V2, 700), // open, not critical
      flag('F5', 'critical', '', 300), // county level, open
    ],
  })
  const month = String(beijingMonth())
  const thisMonth = `${month.slice(0, 4)}-${month.slice(4)}-01`
  await db.client.insert({
    table: 'ledger_item',
    format: 'JSONEachRow',
    values: [
      item('L2', 'F2', '整改中', '民政', '2026-01-01 00:00:00', null, '2026-02-01'),
      item('L3', 'F3', '已销号', '民政', `${thisMonth} 00:00:00`, `${thisMonth} 00:00:00`, '2099-01-01'),
      item('L4', 'F4', '待核实', '人社', '2026-01-01 00:00:00', null, '2026-01-10'),
      item('L6', 'F6', '核实无问题', '人社', `${thisMonth} 00:00:00`, null, '2099-01-01'),
    ],
  })
  // L3 closed after 0 days and another after 4 days in the same month: average 2 days
  await db.client.insert({
    table: 'ledger_item',
    format: 'JSONEachRow',
    values: [item('L7', 'F7', '已销号', '人社', `${thisMonth} 00:00:00`, null, '2099-01-01')].map((row) => ({
      ...row,
      created_at: `${thisMonth} 00:00:00`,
      closed_at: `${thisMonth.slice(0, 8)}05 00:00:00`, // four days after the 1st, Beijing time
    })),
  })
}, 120_000)
afterAll(async () => db?.close())

describe('leader questions', () => {
  it('sums the money of open 重大 flags only', async () => {
    expect(await runMetric(db, 'flags.criticalAmount', { region: C })).toEqual({ kind: 'value', value: 1800, note: '共 3 条重大预警未处置' })
    expect(await runMetric(db, 'flags.criticalAmount', { region: V2 })).toEqual({ kind: 'value', value: 500, note: '共 1 条重大预警未处置' })
  })

  it('ranks villages by the money of their open flags', async () => {
    const data = await runMetric(db, 'flags.topVillages', { region: C })
    if (data.kind !== 'series') throw new Error('series expected')
    expect(data.series).toEqual([{ name: '涉及金额', values: [1200, 1000] }])
  })

  it('averages the days from entry to closure by closing month', async () => {
    const data = await runMetric(db, 'ledger.timeToClose', { region: C })
    if (data.kind !== 'series') throw new Error('series expected')
    const last = data.categories.indexOf(monthLabel(beijingMonth()))
    expect(last).toBe(data.categories.length - 1)
    // L3 (0 days) and L7 (4 days) closed this month; L6 has no closing time
    expect(data.series).toHaveLength(1)
    expect(data.series[0].values[last]).toBe(2)
    // every other month closed nothing: no average there, a gap rather than 0 days
    expect(data.series[0].gaps).toEqual(data.categories.slice(0, -1).map((_, i) => i))
  })

  it('says so when nothing closed in the window, rather than drawing 0 days', async () => {
    // 威远县 has ledger items of its own in no month: an average over nothing
    expect(await runMetric(db, 'ledger.timeToClose', { region: '511024' })).toEqual({ kind: 'notApplicable', reason: '近12个月尚无销号事项' })
    expect(await runMetric(db, 'ledger.timeToClose', { region: C, months: 3 })).toMatchObject({ kind: 'series' })
  })

  it('counts overdue open items and late approvals by department', async () => {
    // on 2026-03-01: 教育's two applications wait at 村评 since 02-01 (28 days, limit 7), 民政's at
    // 县定 since 02-10 (19 days, limit 10); 人社's waits 2 days (in time)
    const event = (id: string, project: string, node: string, at: string) => ({
      application_id: id, node, at, project_code: project, county_code: C, town_code: T, village_code: V1, id_number: '', actor: '', batch_id: 't',
    })
    await db.client.insert({
      table: 'workflow_event',
      format: 'JSONEachRow',
      values: [
        event('A1', 'P61', '户报', '2026-02-01 09:00:00'),
        event('A2', 'P61', '户报', '2026-02-01 09:00:00'),
        event('A3', 'P01', '户报', '2026-02-01 09:00:00'), event('A3', 'P01', '村评', '2026-02-05 09:00:00'), event('A3', 'P01', '镇审', '2026-02-10 09:00:00'),
        event('A4', 'P26', '户报', '2026-02-27 09:00:00'),
      ],
    })
    const data = await runMetric(db, 'ledger.overdueByDept', { region: C, day: '2026-03-01' })
    expect(data).toEqual({
      kind: 'series',
      // 民政 1 item + 1 approval, 教育 2 approvals (its items are none overdue), 人社 1 item
      categories: ['民政', '教育', '人社'],
      series: [
        { name: '逾期条数', values: [1, 0, 1] },
        { name: '超时审批', values: [1, 2, 0] },
      ],
    })
    // a town of another county sees none of them
    const other = await runMetric(db, 'ledger.overdueByDept', { region: '511011', day: '2026-03-01' })
    expect(other).toEqual({ kind: 'series', categories: [], series: [{ name: '逾期条数', values: [] }, { name: '超时审批', values: [] }] })
  })
})
