import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../context'
import type { Db } from '../db/client'
import { openTempDb } from '../testing/tempDb'
import R17 from './catalog/R17-approvalOverdue'
import { startRuleEngine } from './engine'
import { insert, payment, person, PLACES } from './test/fixture'
import { ruleMetrics } from '../metrics/wall'
import { beijingDateTime, beijingDay } from '../beijingTime'

// Deadlines pass on the calendar. The payments here stop in September 2024 (as a seeded history or
// a resting feed would); an application planted 15 days ago by the clock waits for 镇审 (SLA 7 days):
// past 2× the SLA, so an escalation (督办) both for the rule engine and on the wall. Judged by the
// newest payment day instead, it would not even have been filed yet.
let db: Db
const DAY_MS = 86_400_000

const beijingDateTimeAgo = (msAgo: number) => beijingDateTime(Date.now() - msAgo)

beforeAll(async () => {
  db = await openTempDb()
  const applicant = person('1950-03-01')
  await insert(db, 'payment_detail', [payment(applicant, { pay_time: '2024-09-15 10:00:00' })])
  await insert(db, 'workflow_event', [
    { application_id: 'SQ-CLOCK', node: '户报', at: beijingDateTimeAgo(17 * DAY_MS), project_code: 'P26', ...PLACES.a, id_number: applicant.id_number, actor: '经办', batch_id: 't' },
    { application_id: 'SQ-CLOCK', node: '村评', at: beijingDateTimeAgo(15 * DAY_MS), project_code: 'P26', ...PLACES.a, id_number: applicant.id_number, actor: '经办', batch_id: 't' },
  ])
})

afterAll(async () => {
  await db?.close()
})

describe('today is the clock’s (Beijing) day', () => {
  it('the engine judges an application by how long it has really waited', async () => {
    const ctx = { db, log: { info: () => {}, warn: () => {}, error: () => {} }, onIngest: [], healthExtras: [], dataChanged: () => {} } as unknown as AppContext
    const engine = startRuleEngine(ctx, { rules: [R17], initialPass: false })
    try {
      const summary = await engine.runNow('full')
      expect(summary.byRule).toEqual({ R17: 1 })
    } finally {
      await engine.stop()
    }
    const result = await db.client.query({ query: "SELECT case_key, subject FROM flag WHERE rule_id = 'R17'", format: 'JSONEachRow' })
    const [flag] = await result.json<{ case_key: string; subject: string }>()
    expect(flag?.case_key).toBe('SQ-CLOCK|镇审')
    expect(flag?.subject).toContain('已等 15 天')
  })

  it('the wall counts it as an escalation at 镇审, not a reminder', async () => {
    const metric = ruleMetrics.find((m) => m.name === 'approvals.overdue')!
    const data = await metric.run(db, { region: '511000' })
    expect(data).toEqual({
      kind: 'series',
      categories: ['村评', '镇审', '县定', '市管'],
      series: [
        { name: '提醒', values: [0, 0, 0, 0] },
        { name: '督办', values: [0, 1, 0, 0] },
      ],
    })
    expect(beijingDay() > '2024-09-15').toBe(true)
  })
})
