import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTempDb } from '../testing/tempDb'
import type { Db } from '../db/client'
import { dashboards } from '../../dashboards'
import { metricRegistry } from '../metrics/registry'
import { loadFixture } from '../metrics/test/fixture'
import { ADDITIVE_METRICS, AdditiveState, paymentFacts } from './additive'
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

async function computeAll(memo: MetricMemo) {
  const out: Record<string, unknown> = {}
  await Promise.all(
    panels.flatMap((panel) =>
      regions.map(async (region) => {
        out[`${panel.id}|${region}`] = await memo.run(panel.metric, { ...panel.params, region })
      }),
    ),
  )
  for (const region of regions) out[`asOf|${region}`] = await memo.asOf(region)
  return out
}

describe('additive figures moved by what changed', () => {
  it('covers every additive wall metric', () => {
    expect(new Set(panels.map((panel) => panel.metric))).toEqual(additiveMetrics)
  })

  it('equals a full recompute exactly after each of 8 random batches, without reading the table', async () => {
    const state = new AdditiveState(new Set(regions), 600_000)
    const first = new MetricMemo(db, metricRegistry, regions, state.seed())
    await computeAll(first)
    await state.capture(first.batches, state.readToken())
    const random = randomSource(1202)
    for (let batch = 0; batch < 8; batch++) {
      const rows = randomPayments(random, 50 + Math.floor(random() * 400), `b${batch}`)
      await db.client.insert({ table: 'payment_detail', values: rows, format: 'JSONEachRow' })
      state.apply(paymentFacts(rows)!)

      const counted = countingDb(db)
      const incremental = await computeAll(new MetricMemo(counted.db, metricRegistry, regions, state.seed()))
      expect(counted.count()).toBe(0)
      const full = await computeAll(new MetricMemo(db, metricRegistry, regions))
      expect(incremental).toEqual(full)
    }
  }, 120_000)

  it('keeps nothing read while a batch came in, and drops its state on invalidate and with age', async () => {
    const state = new AdditiveState(new Set(regions), 50)
    const memo = new MetricMemo(db, metricRegistry, regions, state.seed())
    const token = state.readToken()
    await computeAll(memo)
    state.apply([]) // a batch announced while the pass read: its rows may or may not be in what was read
    await state.capture(memo.batches, token)
    expect(state.seed().size).toBe(0)
    await state.capture(memo.batches, state.readToken())
    expect(state.seed().size).toBe(3)
    state.invalidate()
    expect(state.seed().size).toBe(0)
    await state.capture(memo.batches, state.readToken())
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(state.seed().size).toBe(0) // older than maxAgeMs: the next pass reads the table again
  })

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
