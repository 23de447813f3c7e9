import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../context'
import type { Db } from '../db/client'
import { seedDatabase } from '../simulate/seed'
import { openTempDb } from '../testing/tempDb'
import { dataToday } from './backtest'
import { rules } from './catalog/index'
import { startRuleEngine, type RuleEngine, type RunSummary } from './engine'
import { findCases } from './evaluate'
import { select } from './sql'

/**
 * Incremental evaluation after a batch stores the same flags as a full pass would. A seeded city
 * loses a batch of payments (half of the people, last three periods: duplicates, deaths, jumps…),
 * the engine's full pass flags the rest, the batch arrives again as newly ingested rows, and the
 * engine's incremental run (only keys the batch touched) must leave exactly the flags a full
 * evaluation of all data finds, for every incremental rule: nothing missed, nothing extra.
 */
let db: Db
let engine: RuleEngine
let today: string
const incremental = rules.filter((rule) => rule.incremental)
const BATCH = `period IN (SELECT DISTINCT period FROM payment_detail ORDER BY period DESC LIMIT 3) AND cityHash64(id_number) % 2 = 0`

async function flagKeys(ruleId: string): Promise<Set<string>> {
  return new Set((await select<{ case_key: string }>(db, 'SELECT case_key FROM flag WHERE rule_id = {rule:String}', { rule: ruleId })).map((row) => row.case_key))
}

let before: Map<string, Set<string>>
let incrementalRun: RunSummary
let fullAfter: RunSummary

beforeAll(async () => {
  db = await openTempDb()
  await seedDatabase(db, { scale: 60_000, seed: 7 })
  today = (await dataToday(db))!
  await db.client.command({ query: `CREATE TABLE held_batch ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM payment_detail WHERE ${BATCH}` })
  await db.client.command({ query: `ALTER TABLE payment_detail DELETE WHERE ${BATCH} SETTINGS mutations_sync = 2` })
  const ctx = {
    db,
    log: { info: () => {}, warn: () => {}, error: (message: string) => console.error(message) },
    onIngest: [],
    dataChanged: () => {},
    healthExtras: [],
  } as unknown as AppContext
  engine = startRuleEngine(ctx, { today: () => today, initialPass: false, fullPassEveryMs: 3_600_000 })
  await engine.runNow('full')
  before = new Map(await Promise.all(incremental.map(async (rule) => [rule.id, await flagKeys(rule.id)] as const)))
  // The batch arrives: stored now, so it is newer than the full pass's watermark.
  await new Promise((resolve) => setTimeout(resolve, 50))
  await db.client.command({ query: `INSERT INTO payment_detail SELECT * REPLACE (now64(3, 'Asia/Shanghai') AS ingested_at) FROM held_batch` })
  incrementalRun = await engine.runNow('incremental')
  console.log(`incremental run after the batch: ${JSON.stringify(incrementalRun.byRule)} in ${incrementalRun.ms} ms`)
  fullAfter = await engine.runNow('full')
}, 300_000)

afterAll(async () => {
  await engine?.stop()
  await db?.close()
})

describe('incremental rule evaluation per batch', () => {
  it('holds back a batch that carries cases, and the incremental run finds them', async () => {
    const [held] = await select<{ n: string }>(db, 'SELECT count() AS n FROM held_batch')
    expect(Number(held.n)).toBeGreaterThan(500)
    expect(incrementalRun.kind).toBe('incremental')
    expect(incrementalRun.failed).toEqual([])
    expect(incrementalRun.newFlags).toBeGreaterThan(0)
    expect(Object.keys(incrementalRun.byRule).length).toBeGreaterThan(2)
  })

  it('leaves no case of an incremental rule for the full pass after it', () => {
    expect(fullAfter.failed).toEqual([])
    for (const rule of incremental) expect(fullAfter.byRule[rule.id], rule.id).toBeUndefined()
  })

  for (const rule of incremental) {
    it(`${rule.id}: flags after the incremental run = flags before the batch ∪ a full evaluation of all data`, async () => {
      const full = (await findCases(db, rule, { today })).map((row) => row.case_key)
      const expected = [...new Set([...before.get(rule.id)!, ...full])].sort()
      expect([...(await flagKeys(rule.id))].sort()).toEqual(expected)
    })
  }
})
