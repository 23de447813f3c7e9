import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/client'
import { runMetric } from '../registry'
import { openTempDb } from '../../testing/tempDb'
import { insert } from '../../rules/test/fixture'

/**
 * Two figures a leader misread on the wall: the rule ranking put 死亡后仍发放 under a pile of 一般
 * flags, and 整改销号率 stood beside 未处置预警 without saying what it is a share of.
 */
const COUNTY = '511011'
const TOWN = '511011001'
let db: Db

function flag(id: string, rule: string, severity: 'critical' | 'warn' | 'info') {
  return {
    flag_id: id, rule_id: rule, case_key: id, severity, class: '资格', county_code: COUNTY, town_code: TOWN,
    village_code: '', amount: null, subject: id, detail_ids: [], detected_at: '2024-10-01 10:00:00.000',
  }
}

function item(id: string, flagId: string, status: string) {
  const at = '2024-10-02 10:00:00'
  return {
    item_id: id, flag_id: flagId, rule_id: 'R05', county_code: COUNTY, town_code: TOWN, village_code: '', title: '问题', owner_dept: '民政', owner_person: '李*',
    deadline: '2099-01-01', status, created_by: 'admin', created_at: at, updated_at: at, closed_at: status === '已销号' ? at : null, version: 1,
  }
}

beforeAll(async () => {
  db = await openTempDb()
  await insert(db, 'flag', [
    flag('F-R01', 'R01', 'critical'), // one open 死亡后仍发放
    ...[1, 2, 3, 4].map((n) => flag(`F-R08-${n}`, 'R08', 'info')), // four open 一般
    ...[1, 2, 3, 4, 5].map((n) => flag(`F-R05-${n}`, 'R05', 'warn')), // five 较大, four of them in the ledger
  ])
  await insert(db, 'ledger_item', [item('L1', 'F-R05-1', '已销号'), item('L2', 'F-R05-2', '核实无问题'), item('L3', 'F-R05-3', '整改中'), item('L4', 'F-R05-4', '待核实')])
})

afterAll(async () => {
  await db?.close()
})

describe('rankings and rates a leader reads', () => {
  it('ranks rules by severity first, then by open flags', async () => {
    const data = await runMetric(db, 'flags.byRule', { region: COUNTY })
    if (data.kind !== 'series') throw new Error('series expected')
    // 1 open 重大 before 3 open 较大 before 4 open 一般: open counts alone would reverse them
    expect(data.categories).toEqual(['死亡后仍发放', '超标准发放', '村干部及近亲属享受补贴'])
    expect(data.series.find((s) => s.name === '未处置')!.values).toEqual([1, 3, 4])
    expect(data.series.find((s) => s.name === '累计')!.values).toEqual([1, 5, 4])
  })

  it('gives 销号率 its numerator and denominator: ledger items, not all warnings', async () => {
    const rate = await runMetric(db, 'ledger.closureRate', { region: COUNTY })
    expect(rate).toEqual({ kind: 'value', value: 50, note: '已销号 2 / 入台账 4 条' })
    // the open-warnings count beside it counts flags (in the ledger or not), so the two never share a base
    const open = await runMetric(db, 'flags.open', { region: COUNTY })
    expect(open).toEqual({ kind: 'value', value: 8 })
  })

  it('gives no rate where nothing is in the ledger: 0 / 0 is not a 0 % closure rate', async () => {
    // another county, with no ledger item: a 0.0 % in the warning colour read as "nothing closed"
    const rate = await runMetric(db, 'ledger.closureRate', { region: '511024' })
    expect(rate).toEqual({ kind: 'notApplicable', reason: '尚无入台账事项' })
  })
})
