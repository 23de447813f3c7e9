import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../app'
import type { IngestEvent } from '../context'
import { ingestGate } from '../ingest/ingestGate'
import { feedByName } from '../ingest/feeds'
import { paymentBatch } from '../ingest/test/fixtures'
import { postBatch, queryRow, startIngestApp, TOKEN } from '../ingest/test/harness'
import { validateBatch } from '../ingest/validateBatch'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { adminCookie, healthDetails } from '../testing/adminSession'
import { discoverRollups } from './discover'
import { checkRollup } from './heal'
import { insertFactsPastViews } from './testing/crashPoint'

const dataDir = makeTempDir('ykt-heal-')
let app: RunningApp
const events: IngestEvent[] = []
const payments = feedByName('payments')!

beforeAll(async () => {
  app = await startIngestApp(dataDir)
  app.ctx.onIngest.push((event) => events.push(event))
})
afterAll(() => app?.close())

/** Rollups disagreeing with the facts, by the generic comparison, without repairing. */
async function disagreeingRollups(): Promise<string[]> {
  const rollups = await discoverRollups(app.ctx.db)
  const verdicts = []
  for (const rollup of rollups) verdicts.push(await checkRollup(app.ctx.db, ingestGate, rollup, { repair: false }))
  return verdicts.filter((v) => v.mismatched.length > 0).map((v) => v.table)
}

/** An independent look at the rollups the wall reads most: payments and amount, written out by hand. */
async function countsAndSums(): Promise<Record<string, string>> {
  return queryRow<Record<string, string>>(
    app,
    `SELECT (SELECT toString((count(), sum(amount_paid))) FROM payment_detail) AS facts,
            (SELECT toString((sum(payments), sum(amount_paid))) FROM agg_payment_month) AS month,
            (SELECT toString((sum(payments), sum(amount_paid))) FROM agg_village_month) AS village,
            (SELECT toString((sum(payments), sum(amount_paid))) FROM agg_payment_hour) AS hour,
            (SELECT toString((sum(payments), sum(amount_paid))) FROM agg_age_town_month) AS age`,
  )
}

describe('rollups that heal', () => {
  it('finds every rollup and its views in the catalogue', async () => {
    const rollups = await discoverRollups(app.ctx.db)
    expect(rollups.map((r) => r.table)).toContain('agg_payment_month')
    expect(rollups.every((r) => r.views.length > 0 && r.sources.length > 0)).toBe(true)
    expect(rollups.filter((r) => r.sources.includes('payment_detail')).length).toBeGreaterThanOrEqual(4)
    expect(rollups.filter((r) => r.views.some((v) => v.name === 'mv_village_month')).map((r) => r.table)).toEqual(['agg_village_month'])
  })

  it('rebuilds the rollups a crash between the fact INSERT and the views left short, once the batch is re-posted', async () => {
    expect((await postBatch(app, 'payments', { batchId: 'ok-1', records: paymentBatch(0, 30) })).status).toBe(200)
    expect(await disagreeingRollups()).toEqual([])

    // The crash point: the facts hold batch crash-1, two of the views never saw it.
    const records = paymentBatch(100, 25)
    const normalized = validateBatch(payments, { batchId: 'crash-1', records, unreadable: [] })
    await insertFactsPastViews(app.ctx.db, payments, 'crash-1', normalized, ['mv_payment_month', 'mv_village_month'])

    // Restart on the same data, as after the kill.
    await app.close()
    app = await startIngestApp(dataDir)
    app.ctx.onIngest.push((event) => events.push(event))
    const short = await countsAndSums()
    expect(short.month).not.toBe(short.facts)
    expect(short.village).not.toBe(short.facts)
    expect(short.hour).toBe(short.facts) // that view did run: the rollups disagree with each other too
    expect((await disagreeingRollups()).sort()).toEqual(['agg_payment_month', 'agg_village_month'])

    // The sender retries the unacknowledged batch: recovered (ledger completed), and the check runs.
    const before = events.length
    const answer = await postBatch(app, 'payments', { batchId: 'crash-1', records })
    expect(answer.json).toMatchObject({ status: 'stored', recovered: true, rows: 25 })
    await expect.poll(async () => (await health()).repairs, { timeout: 20_000, interval: 200 }).toBeGreaterThanOrEqual(2)

    const healed = await countsAndSums()
    for (const rollup of ['month', 'village', 'hour', 'age']) expect(healed[rollup], rollup).toBe(healed.facts)
    expect(await disagreeingRollups()).toEqual([])
    const report = await health()
    expect(report.lastMismatches.map((m: { table: string }) => m.table).sort()).toEqual(['agg_payment_month', 'agg_village_month'])
    expect(report.lastCheckAt).not.toBeNull()
    // The repair was announced as a change of the fact table's data, so rooms recompute.
    expect(events.slice(before).some((e) => e.feed === 'payment_detail' && e.batchId === 'rollup-repair')).toBe(true)
  })

  it('rebuilds a rollup that counts too much, and leaves agreeing ones untouched', async () => {
    // A stray block in one rollup (e.g. a view written twice): the figures exceed the facts.
    await app.ctx.db.client.command({ query: 'INSERT INTO agg_payment_hour SELECT * FROM agg_payment_hour' })
    expect(await disagreeingRollups()).toEqual(['agg_payment_hour'])
    const parts = await queryRow<{ n: string }>(app, "SELECT count() AS n FROM system.parts WHERE database = currentDatabase() AND table = 'agg_region_payments' AND active")
    const verdicts = await healerCheck()
    expect(verdicts.filter((v) => v.repaired.length).map((v) => v.table)).toEqual(['agg_payment_hour'])
    const healed = await countsAndSums()
    expect(healed.hour).toBe(healed.facts)
    const after = await queryRow<{ n: string }>(app, "SELECT count() AS n FROM system.parts WHERE database = currentDatabase() AND table = 'agg_region_payments' AND active")
    expect(after.n).toBe(parts.n)
  })

  it('compares as background work: the wall\'s queries are not queued behind rebuilding a rollup', async () => {
    const lane = app.ctx.db.lane!
    const rollups = await discoverRollups(app.ctx.db)
    const before = { ...lane.stats }
    const verdicts = await healerCheck()
    expect(verdicts.every((v) => v.mismatched.length === 0)).toBe(true)
    // Per rollup: drop, create and fill the copy (a statement per view), then two checksums.
    // (The app's other work, the live hub's passes, goes at the wall's priority meanwhile: the
    // high count is not the healer's alone, so only the low count is asserted.)
    expect(lane.stats.lowQueries - before.lowQueries).toBeGreaterThanOrEqual(5 * rollups.length)
  })

  it('runs one check of a rollup at a time: two at once would drop each other\'s copy', async () => {
    const [rollup] = await discoverRollups(app.ctx.db)
    const verdicts = await Promise.all([1, 2, 3].map(() => checkRollup(app.ctx.db, ingestGate, rollup, { repair: false })))
    expect(verdicts.map((v) => v.mismatched)).toEqual([[], [], []])
  })

  it('holds an ingest back while it swaps partitions, so no batch is lost from a rollup', async () => {
    await app.ctx.db.client.command({ query: 'INSERT INTO agg_payment_month SELECT * FROM agg_payment_month' })
    const check = healerCheck()
    const post = postBatch(app, 'payments', { batchId: 'during-repair', records: paymentBatch(300, 20) })
    const [, answer] = await Promise.all([check, post])
    expect(answer.status).toBe(200)
    expect(await disagreeingRollups()).toEqual([])
  })

  it('checks by itself at start-up and every ROLLUP_CHECK_MS, with no recovered batch to prompt it', async () => {
    await app.close()
    app = await startApp(testConfig(dataDir, { INGEST_TOKEN: TOKEN, ROLLUP_CHECK_MS: '3000', ROLLUP_CHECK_SHARE: '1' }))
    // A stored batch (not a recovered one, which would ask for a check) gives the rollups rows to break.
    expect((await postBatch(app, 'payments', { batchId: 'periodic-1', records: paymentBatch(400, 20) })).json).toMatchObject({ status: 'stored', rows: 20 })
    // The start-up check (after the interval, at most 10 s) finds nothing to repair.
    await expect.poll(async () => (await health()).checks, { timeout: 90_000, interval: 200 }).toBeGreaterThanOrEqual(1)
    expect((await health()).repairs).toBe(0)
    // Broken after the start-up check: only a later, periodic check can find it.
    const { checks } = await health()
    const brokenAt = Date.now()
    await app.ctx.db.client.command({ query: 'INSERT INTO agg_payment_hour SELECT * FROM agg_payment_hour' })
    await expect.poll(async () => (await health()).repairs, { timeout: 90_000, interval: 200 }).toBeGreaterThan(0)
    const report = await health()
    expect(report.checks).toBeGreaterThan(checks)
    expect(Date.parse(report.lastRepairAt)).toBeGreaterThanOrEqual(brokenAt)
    expect(await disagreeingRollups()).toEqual([])
  }, 240_000)

  it('skips a periodic check while neither facts nor rollups changed since a clean one, and checks after a write', async () => {
    await app.close()
    app = await startApp(testConfig(dataDir, { INGEST_TOKEN: TOKEN, ROLLUP_CHECK_MS: '1000', ROLLUP_CHECK_SHARE: '1' }))
    // the start-up check, then one more after it (the repair test above may have left a version to settle)
    await expect.poll(async () => (await health()).checks, { timeout: 90_000, interval: 200 }).toBeGreaterThanOrEqual(2)
    await expect.poll(async () => (await health()).skippedUnchanged, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(2)
    const idle = await health()
    // nothing written: two more periodic turns (waited for, not timed: a loaded machine delays
    // them past a fixed window), both skips, and no check ran meanwhile
    await expect.poll(async () => (await health()).skippedUnchanged, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(idle.skippedUnchanged + 2)
    const later = await health()
    expect(later.checks).toBe(idle.checks)
    // a stored batch changes the facts and rollups: the next periodic check runs again
    expect((await postBatch(app, 'payments', { batchId: 'periodic-skip-1', records: paymentBatch(500, 20) })).json).toMatchObject({ status: 'stored' })
    await expect.poll(async () => (await health()).checks, { timeout: 60_000, interval: 200 }).toBeGreaterThan(later.checks)
    // and a rollup broken behind the healer's back is still found (its own version moved)
    await expect.poll(async () => (await health()).skippedUnchanged, { timeout: 60_000, interval: 200 }).toBeGreaterThan(later.skippedUnchanged)
    const settled = await health()
    await app.ctx.db.client.command({ query: 'INSERT INTO agg_region_payments SELECT * FROM agg_region_payments' })
    await expect.poll(async () => (await health()).repairs, { timeout: 60_000, interval: 200 }).toBeGreaterThan(settled.repairs)
    expect(await disagreeingRollups()).toEqual([])
  }, 300_000)

  it('stretches the interval so periodic checks take at most their share of the time', async () => {
    await app.close()
    app = await startApp(testConfig(dataDir, { INGEST_TOKEN: TOKEN, ROLLUP_CHECK_MS: '1000', ROLLUP_CHECK_SHARE: '0.001' }))
    await expect.poll(async () => (await health()).checks, { timeout: 90_000, interval: 200 }).toBeGreaterThanOrEqual(1)
    const report = await health()
    // the next check is due no sooner than a thousand times the last check's length
    expect(Date.parse(report.nextPeriodicAt) - Date.parse(report.lastCheckAt)).toBeGreaterThanOrEqual(report.lastCheckMs * 1000 - 1000)
    expect(report.lastCheckMs * 1000).toBeGreaterThan(1000)
  }, 120_000)
})

async function health(): Promise<any> {
  return (await healthDetails(app, await adminCookie(app))).rollups
}

async function healerCheck() {
  const rollups = await discoverRollups(app.ctx.db)
  const verdicts = []
  for (const rollup of rollups) verdicts.push(await checkRollup(app.ctx.db, ingestGate, rollup, { repair: true }))
  return verdicts
}
