import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../context'
import type { Db } from '../db/client'
import { openTempDb } from '../testing/tempDb'
import R17 from './catalog/R17-approvalOverdue'
import { startRuleEngine } from './engine'
import { insert, payment, person } from './test/fixture'
import { metricRegistry, runMetric } from '../metrics/registry'
import { RULES_NOT_YET_RUN } from '../metrics/wall/rulesChecked'

// A first start over fresh data: payments are in, the rules have not yet looked at them. The flag
// table is empty because nothing was checked, not because nothing is wrong; the alert panels said
// 0 (未处置预警 0, 重大风险预警 0) until the first pass ended. They must say so instead.
const CITY = '511000'
let db: Db
const flagMetrics = [...metricRegistry.values()].filter((metric) => metric.reads.includes('flags'))

beforeAll(async () => {
  db = await openTempDb()
  await insert(db, 'payment_detail', [payment(person('1950-03-01'), { pay_time: '2024-09-15 10:00:00' })])
})

afterAll(async () => {
  await db?.close()
})

describe('flag panels before the rules have checked the data', () => {
  it('every metric over flags says it is pending, not 0', async () => {
    expect(flagMetrics.map((metric) => metric.name)).toEqual(expect.arrayContaining(['flags.open', 'flags.critical', 'flags.ticker', 'flags.criticalAmount']))
    for (const metric of flagMetrics) {
      const data = await runMetric(db, metric.name, { region: CITY })
      expect({ metric: metric.name, data }).toEqual({ metric: metric.name, data: { kind: 'pending', reason: RULES_NOT_YET_RUN } })
    }
  })

  it('a first pass that finds nothing is written down, tells the rooms, and the panels then read 0', async () => {
    const changed: string[] = []
    const ctx = { db, log: { info: () => {}, warn: () => {}, error: () => {} }, onIngest: [], healthExtras: [], dataChanged: (kind: string) => changed.push(kind) } as unknown as AppContext
    // R17 finds overdue approvals: there are no workflow events here, so the pass finds nothing.
    const engine = startRuleEngine(ctx, { rules: [R17], initialPass: false })
    try {
      const summary = await engine.runNow('full')
      expect(summary.newFlags).toBe(0)
      expect(changed).toEqual(['flags'])
      // a second pass is recorded too, but the rooms already know
      expect((await engine.runNow('full')).skipped).toEqual(['R17'])
      expect(changed).toEqual(['flags'])
    } finally {
      await engine.stop()
    }
    const passes = await (await db.client.query({ query: 'SELECT rules_run, rules_skipped, new_flags FROM rule_pass ORDER BY finished_at', format: 'JSONEachRow' })).json()
    expect(passes).toEqual([
      { rules_run: 1, rules_skipped: 0, new_flags: 0 },
      { rules_run: 0, rules_skipped: 1, new_flags: 0 },
    ])
    expect(await runMetric(db, 'flags.open', { region: CITY })).toEqual({ kind: 'value', value: 0 })
    expect(await runMetric(db, 'flags.critical', { region: CITY })).toEqual({ kind: 'value', value: 0 })
  })
})
