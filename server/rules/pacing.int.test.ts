import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext, IngestEvent } from '../context'
import type { Db } from '../db/client'
import { openTempDb } from '../testing/tempDb'
import { pacedGapMs, startRuleEngine, type RuleEngine } from './engine'
import { defineRule, type RuleDefinition } from './types'

/**
 * Incremental runs under a steady feed are paced by what they cost: a run that holds the engine
 * for C ms is followed by a wait of C / share (within the least and the longest gap), so the rules
 * take a bounded share of the engine however large the city. A batch after a quiet spell, or a
 * second one soon after, is not held back by the pacing.
 */
const SLEEP_S = 0.3
const SHARE = 0.05 // a 300 ms run → 6 s before the next
// the least gap holds more than 3 batches of the feed below, so the feed counts as steady in it
const MIN_GAP_MS = 1_500
const PACED_MS = (SLEEP_S * 1000) / SHARE

/** An incremental rule that finds nothing and holds the engine for SLEEP_S. */
function slowRule(seconds: number): RuleDefinition {
  return defineRule({
    id: 'T01',
    name: 'pacing test',
    severity: 'info',
    class: '手工录入失误',
    explanation: 'holds the engine and finds nothing',
    incremental: true,
    reads: ['payment_detail'],
    sql: () => `
SELECT '' AS case_key, '' AS county_code, '' AS town_code, '' AS village_code, 0 AS amount, '' AS subject,
       [] :: Array(String) AS detail_ids, now64(3, 'Asia/Shanghai') AS detected_at
FROM system.one WHERE sleep(${seconds}) != 0`,
  })
}

let db: Db
let counter = 0
const engines: RuleEngine[] = []

function context(): AppContext & { runs: () => number; health: () => Record<string, unknown> } {
  const ctx = {
    db,
    log: { info: () => {}, warn: () => {}, error: (message: string) => console.error(message) },
    onIngest: [] as Array<(event: IngestEvent) => void>,
    dataChanged: () => {},
    healthExtras: [] as Array<() => [string, unknown]>,
  }
  const health = () => Object.fromEntries(ctx.healthExtras.map((extra) => extra()))
  return Object.assign(ctx as unknown as AppContext, { health, runs: () => (health().rules as { runs: number }).runs })
}

/** Stores one payment row (so the engine sees payment_detail move) and announces the batch. */
async function ingest(ctx: AppContext): Promise<void> {
  counter += 1
  await db.client.command({ query: `INSERT INTO payment_detail (detail_id, batch_id, id_number, pay_time) VALUES ('pace-${counter}', 'pace-${counter}', '5110000000000000${counter}', now())` })
  for (const listener of ctx.onIngest) listener({ feed: 'payments', batchId: `pace-${counter}`, rows: 1, acknowledgedAt: Date.now() } as IngestEvent)
}

async function waitForRuns(ctx: ReturnType<typeof context>, runs: number, timeoutMs = 30_000): Promise<number> {
  const until = Date.now() + timeoutMs
  while (ctx.runs() < runs) {
    if (Date.now() > until) throw new Error(`run ${runs} did not come within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return Date.now()
}

/**
 * A steady feed until `runs` runs are done; returns when each run ended. A batch every 400 ms:
 * the rules' queries go in the engine's quiet moments (100 ms without a wall query, lane.ts).
 */
async function steadyFeed(ctx: ReturnType<typeof context>, runs: number): Promise<number[]> {
  const ended: number[] = []
  const feeding = setInterval(() => void ingest(ctx), 400)
  try {
    for (let run = ctx.runs() + 1; ended.length < runs; run++) ended.push(await waitForRuns(ctx, run))
  } finally {
    clearInterval(feeding)
  }
  return ended
}

beforeAll(async () => {
  db = await openTempDb()
})

afterAll(async () => {
  for (const engine of engines) await engine.stop()
  await db?.close()
})

describe('pacing of incremental runs', () => {
  it('computes the wait from the cost, within the least and longest gap', () => {
    expect(pacedGapMs(500, 1 / 40, 10_000, 60_000)).toBe(20_000)
    expect(pacedGapMs(100, 1 / 40, 10_000, 60_000)).toBe(10_000)
    expect(pacedGapMs(5_000, 1 / 40, 10_000, 60_000)).toBe(60_000)
  })

  it('spaces the runs of a steady feed by their cost, and a cheap rule keeps the least gap', async () => {
    const slow = context()
    const slowEngine = startRuleEngine(slow, { rules: [slowRule(SLEEP_S)], incrementalGapMs: MIN_GAP_MS, incrementalShare: SHARE, debounceMs: 10 })
    engines.push(slowEngine)
    await slowEngine.firstPass
    const slowEnds = await steadyFeed(slow, 3)
    const paced = (slow.health().rules as { nextGapMs: number }).nextGapMs
    expect(paced).toBeGreaterThanOrEqual(PACED_MS)
    // each run starts no sooner than the paced gap after the previous ended (and lasts SLEEP_S)
    for (let i = 1; i < slowEnds.length; i++) expect(slowEnds[i] - slowEnds[i - 1]).toBeGreaterThanOrEqual(PACED_MS)
    await slowEngine.stop()

    const cheap = context()
    const cheapEngine = startRuleEngine(cheap, { rules: [slowRule(0)], incrementalGapMs: MIN_GAP_MS, incrementalShare: SHARE, debounceMs: 10 })
    engines.push(cheapEngine)
    await cheapEngine.firstPass
    const cheapEnds = await steadyFeed(cheap, 3)
    for (let i = 1; i < cheapEnds.length; i++) expect(cheapEnds[i] - cheapEnds[i - 1]).toBeLessThan(PACED_MS / 2)
    await cheapEngine.stop()
  }, 60_000)

  it('evaluates a batch after a quiet spell at once, and a second one within the least gap', async () => {
    const ctx = context()
    const engine = startRuleEngine(ctx, { rules: [slowRule(SLEEP_S)], incrementalGapMs: MIN_GAP_MS, incrementalShare: SHARE, debounceMs: 10 })
    engines.push(engine)
    await engine.firstPass
    const runs = ctx.runs()
    let sentAt = Date.now()
    await ingest(ctx)
    const first = await waitForRuns(ctx, runs + 1)
    expect(first - sentAt).toBeLessThan(PACED_MS / 2)
    // the last run cost SLEEP_S, so a steady feed would now wait PACED_MS; a lone batch does not
    sentAt = Date.now()
    await ingest(ctx)
    const second = await waitForRuns(ctx, runs + 2)
    expect(second - sentAt).toBeLessThan(PACED_MS / 2)
    await engine.stop()
  }, 60_000)
})
