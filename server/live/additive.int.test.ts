import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTempDb } from '../testing/tempDb'
import type { Db } from '../db/client'
import { dashboards } from '../../dashboards'
import { metricRegistry, MetricParamsError } from '../metrics/registry'
import { loadFixture } from '../metrics/test/fixture'
import { ADDITIVE_METRICS, AdditiveState } from './additive'
import { sumPaymentRecords } from '../ingest/paymentSums'
import { countingDb } from './countingDb'
import { defaultWarmRegions } from './hub'
import { MetricMemo } from './memo'
import { insertRandomPayments, randomPayments, randomSource } from './test/randomData'

// Batches applied to the warm state must give exactly what a full recompute reads from the
// database: every wall panel fed by the additive figures, for all 89 regions, after each batch.
const regions = defaultWarmRegions()
const additiveMetrics = ADDITIVE_METRICS
const panels = [...new Map(Object.values(dashboards).flatMap((d) => d.panels.filter((p) => additiveMetrics.has(p.metric)).map((p) => [p.metric, p]))).values()]
let db: Db

beforeAll(async () => {
  db = await openTempDb()
  await loadFixture(db)
  await insertRandomPayments(db, randomSource(7), 2000, 'history')
})
afterAll(async () => {
  await db?.close()
})

async function computeAll(memo: MetricMemo, warm: string[] = regions) {
  const out: Record<string, unknown> = {}
  await Promise.all(
    panels.flatMap((panel) =>
      warm.map(async (region) => {
        // a metric kept only down to towns refuses a village: the same refusal on both sides
        out[`${panel.id}|${region}`] = await memo.run(panel.metric, { ...panel.params, region }).catch((error: unknown) => {
          if (error instanceof MetricParamsError) return { refused: error.message }
          throw error
        })
      }),
    ),
  )
  for (const region of warm) out[`asOf|${region}`] = await memo.asOf(region)
  return out
}

/** Applies 8 random batches (from `seed`) to the held figures; after each, every additive panel of every region equals a full recompute. */
async function exactAfterBatches(warm: string[], seed: number): Promise<void> {
  const state = new AdditiveState(new Set(warm), 600_000)
  const first = new MetricMemo(db, metricRegistry, warm, state.seed())
  await computeAll(first, warm)
  await state.capture(first.batches, state.readToken())
  const random = randomSource(seed)
  for (let batch = 0; batch < 8; batch++) {
    const rows = randomPayments(random, 50 + Math.floor(random() * 400), `b${seed}-${batch}`)
    await db.client.insert({ table: 'payment_detail', values: rows, format: 'JSONEachRow' })
    // Odd batches arrive as two deliveries: the second's groups meet the first's in the held rows.
    if (batch % 2 === 0) state.apply(sumPaymentRecords(rows)!)
    else for (const half of [rows.slice(0, rows.length >> 1), rows.slice(rows.length >> 1)]) state.apply(sumPaymentRecords(half)!)

    const counted = countingDb(db)
    const incremental = await computeAll(new MetricMemo(counted.db, metricRegistry, warm, state.seed()), warm)
    expect(counted.count()).toBe(0)
    const full = await computeAll(new MetricMemo(db, metricRegistry, warm), warm)
    expect(incremental).toEqual(full)
  }
}

describe('additive figures moved by what changed', () => {
  it('covers every additive wall metric', () => {
    expect(new Set(panels.map((panel) => panel.metric))).toEqual(additiveMetrics)
  })

  it('equals a full recompute exactly after each of 8 random batches, without reading the table', async () => {
    await exactAfterBatches(regions, 1202)
  }, 120_000)

  it('and with village rooms warm (a watched village): its payments go to the village and up', async () => {
    // villages the batches pay into (the same seed gives the same batches), and one they do not
    const random = randomSource(1203)
    const paid = new Set(randomPayments(random, 400, 'probe').map((row) => String(row.village_code)))
    const villages = [...paid].slice(0, 12)
    expect(villages.length).toBeGreaterThan(3)
    await exactAfterBatches([...regions, ...villages], 1203)
  }, 120_000)

  it('keeps nothing read while a batch came in, and drops its state on invalidate', async () => {
    const state = new AdditiveState(new Set(regions), 50)
    const memo = new MetricMemo(db, metricRegistry, regions, state.seed())
    const token = state.readToken()
    await computeAll(memo)
    state.apply({ months: [], hours: [], reissues: [] }) // a batch announced while the pass read: its rows may or may not be in what was read
    await state.capture(memo.batches, token)
    expect(state.seed().size).toBe(0)
    await state.capture(memo.batches, state.readToken())
    expect(state.seed().size).toBe(3)
    state.invalidate()
    expect(state.seed().size).toBe(0)
  })

  it('holds its figures past maxAgeMs until a drift check reads them again: replaced when no batch overlapped, kept when one did', async () => {
    const maxAgeMs = 600_000
    const state = new AdditiveState(new Set(regions), maxAgeMs)
    const first = new MetricMemo(db, metricRegistry, regions)
    await computeAll(first)
    expect(await state.capture(first.batches, state.readToken())).toBe(true)
    // a drift: a batch announced that never reached the table (the held figures now differ from it)
    const random = randomSource(31)
    state.apply(sumPaymentRecords(randomPayments(random, 40, 'ghost'))!)
    const drifted = await computeAll(new MetricMemo(db, metricRegistry, regions, state.seed()))
    const truth = await computeAll(new MetricMemo(db, metricRegistry, regions))
    expect(drifted).not.toEqual(truth)
    expect(state.recheckDue()).toBe(false)
    // older than maxAgeMs: still held (quick pushes keep using them), and a recheck is due
    const later = Date.now() + maxAgeMs
    expect(state.complete).toBe(true)
    expect(state.seed().size).toBe(3)
    expect(state.recheckDue(later)).toBe(true)

    // a recheck overlapped by a stored batch keeps the held figures (the batch added to them)
    const overlapped = new MetricMemo(db, metricRegistry, regions)
    const token = state.readToken()
    await computeAll(overlapped)
    const rows = await insertRandomPayments(db, random, 60, 'during-recheck')
    state.apply(sumPaymentRecords(rows)!)
    expect(await state.capture(overlapped.batches, token, true)).toBe(false)
    expect(state.recheckDue(later)).toBe(true)
    expect(await computeAll(new MetricMemo(db, metricRegistry, regions, state.seed()))).not.toEqual(await computeAll(new MetricMemo(db, metricRegistry, regions)))

    // a recheck no batch overlapped replaces them: the drift is gone, and the next is due maxAgeMs later
    const clean = new MetricMemo(db, metricRegistry, regions)
    const cleanToken = state.readToken()
    await computeAll(clean)
    expect(await state.capture(clean.batches, cleanToken, true)).toBe(true)
    expect(state.recheckDue(later)).toBe(false)
    const counted = countingDb(db)
    const held = await computeAll(new MetricMemo(counted.db, metricRegistry, regions, state.seed()))
    expect(counted.count()).toBe(0)
    expect(held).toEqual(await computeAll(new MetricMemo(db, metricRegistry, regions)))
  }, 60_000)

  it('keeps nothing read while an ingest delivery was storing or started', async () => {
    const watch = { started: 0, running: 1 }
    const state = new AdditiveState(new Set(regions), 600_000, () => watch)
    const memo = new MetricMemo(db, metricRegistry, regions)
    await computeAll(memo)
    expect(state.readToken()).toBeUndefined() // rows of a running delivery may be visible, not yet announced
    watch.running = 0
    const token = state.readToken()
    watch.started += 1 // a delivery began while the pass read
    await state.capture(memo.batches, token)
    expect(state.seed().size).toBe(0)
    await state.capture(memo.batches, state.readToken())
    expect(state.seed().size).toBe(3)
  })
})
