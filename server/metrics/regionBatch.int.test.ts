import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTempDb } from '../testing/tempDb'
import type { Db } from '../db/client'
import { dashboards } from '../../dashboards'
import { CITY_CODE, regionsAtLevel } from '../../geo/regions'
import { countingDb } from '../live/countingDb'
import { insertRandomCases, insertRandomPayments, randomSource } from '../live/test/randomData'
import { MetricParamsError, notApplicable, runMetric } from './registry'
import { withQueryCache } from './sql/query'
import { loadFixture } from './test/fixture'

// A warm pass reads every region of the tree at once (perRegion in sql/query.ts) and deals the
// rows out; each region's panel must come out exactly as the one-region query computes it.
const warmRegions = [CITY_CODE, ...regionsAtLevel('county').map((r) => r.code), ...regionsAtLevel('town').map((r) => r.code)]
// Every region is read in the pass; the city, the counties and every third town (a third of the
// one-region queries) are checked against their own query.
const compareWith = new Set(warmRegions.filter((code, i) => i < 6 || i % 3 === 0))
const panels = [...new Map(Object.values(dashboards).flatMap((d) => d.panels.map((p) => [`${p.metric}|${JSON.stringify(p.params)}`, p]))).values()]
let db: Db

beforeAll(async () => {
  db = await openTempDb()
  await loadFixture(db)
  const random = randomSource(20261202)
  await insertRandomPayments(db, random, 3000, 'batch-a')
  await insertRandomCases(db, random, 600)
})
afterAll(async () => {
  await db?.close()
})

describe('one pass for all regions', () => {
  it('has 89 warm regions: the city, 5 counties, 83 towns', () => {
    expect(warmRegions.length).toBe(89)
  })

  it('gives every region of every wall panel the same data as its own query', async () => {
    const counted = countingDb(db)
    const pass = withQueryCache(counted.db, { regions: warmRegions })
    let compared = 0
    const perPanel: Array<{ panel: string; queries: number }> = []
    for (const panel of panels) {
      // A metric that refuses a level (budget below county) says so in both ways alike.
      const run = (on: typeof db, region: string) =>
        runMetric(on, panel.metric, { ...panel.params, region }).catch((error: unknown) => {
          if (error instanceof MetricParamsError) return notApplicable(error)
          throw error
        })
      const before = counted.count()
      const batched = await Promise.all(warmRegions.map((region) => run(pass.db, region)))
      perPanel.push({ panel: panel.metric, queries: counted.count() - before })
      for (const [i, region] of warmRegions.entries()) {
        if (!compareWith.has(region)) continue
        const alone = await run(db, region)
        expect({ panel: panel.metric, region, data: batched[i] }).toEqual({ panel: panel.metric, region, data: alone })
        compared += 1
      }
    }
    expect(compared).toBe(panels.length * compareWith.size)
    // Cost set by the data, not the rooms: far fewer queries than panels × regions. The
    // per-county budget panels and the two not yet batched (approvals.overdue, ledger.overdue)
    // are the rest.
    expect(counted.count()).toBeLessThan(panels.length * 6)
    // and no panel reads region by region: at most one query per county and the city (the
    // per-county budget panels), never one per town (拦截问题数据 sent 89)
    expect(perPanel.filter((p) => p.queries > 6)).toEqual([])
  }, 400_000)

  it('checks the batched data is not empty (the comparison would pass on nothing)', async () => {
    const pass = withQueryCache(db, { regions: warmRegions })
    const town = regionsAtLevel('town')[3].code
    const total = await runMetric(pass.db, 'payments.total', { region: town })
    const flags = await runMetric(pass.db, 'flags.open', { region: CITY_CODE })
    expect(total.kind === 'value' && total.value).toBeGreaterThan(0)
    expect(flags.kind === 'value' && flags.value).toBeGreaterThan(0)
    const approvals = await runMetric(pass.db, 'approvals.overdue', { region: CITY_CODE })
    expect(approvals.kind === 'series' && approvals.series[1].values.some((n) => n > 0)).toBe(true)
  })
})
