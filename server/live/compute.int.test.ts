import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dashboards } from '../../dashboards'
import type { Db } from '../db/client'
import { metricRegistry } from '../metrics/registry'
import { loadFixture } from '../metrics/test/fixture'
import { openTempDb } from '../testing/tempDb'
import { computeAndApply, computeRooms, ROOMS_PER_SLICE, type RoomResult } from './compute'
import { countingDb } from './countingDb'
import { defaultWarmRegions } from './hub'
import { MetricMemo } from './memo'
import { Room, type LivePanel } from './room'
import { insertRandomPayments, randomSource } from './test/randomData'

/**
 * A theme's rooms are computed and applied in slices, with the event loop given a turn between
 * them: a tick, a socket write or an ingest ack waits for one slice, not for every room of the
 * theme. The results are what one computation of all rooms gives, from as many queries.
 */
const regions = defaultWarmRegions()
const dashboard = dashboards.overview
const panels: LivePanel[] = dashboard.panels.flatMap((panel) => {
  const metric = metricRegistry.get(panel.metric)
  return metric ? [{ panel, metric }] : []
})
let db: Db

beforeAll(async () => {
  db = await openTempDb()
  await loadFixture(db)
  await insertRandomPayments(db, randomSource(11), 2000, 'history')
})
afterAll(async () => {
  await db?.close()
})

const rooms = () => regions.map((region) => new Room(dashboard, region, panels, true))
const fail = (room: Room, what: string, error: unknown) => {
  throw new Error(`${room.region} ${what}: ${error instanceof Error ? error.message : error}`)
}

describe('rooms computed in slices', () => {
  it('gives the event loop a turn between slices, and never applies more than a slice in one go', async () => {
    expect(regions.length).toBeGreaterThan(2 * ROOMS_PER_SLICE)
    const events: Array<'apply' | 'turn'> = []
    let ticking = true
    const tick = () => {
      events.push('turn')
      if (ticking) setImmediate(tick)
    }
    setImmediate(tick)
    try {
      await computeAndApply(new MetricMemo(db, metricRegistry, regions), rooms(), panels, fail, () => events.push('apply'))
    } finally {
      ticking = false
    }
    const runs = events.join('').split('turn').map((run) => run.length / 'apply'.length).filter((n) => n > 0)
    expect(runs.reduce((a, b) => a + b, 0)).toBe(regions.length)
    expect(Math.max(...runs)).toBeLessThanOrEqual(ROOMS_PER_SLICE)
    expect(runs.length).toBeGreaterThanOrEqual(Math.ceil(regions.length / ROOMS_PER_SLICE))
  }, 60_000)

  it('gives every room what one computation of all rooms gives, with as many queries', async () => {
    const whole = countingDb(db)
    const expected = await computeRooms(new MetricMemo(whole.db, metricRegistry, regions), rooms(), panels, fail)
    const sliced = countingDb(db)
    const got: RoomResult[] = []
    await computeAndApply(new MetricMemo(sliced.db, metricRegistry, regions), rooms(), panels, fail, (result) => got.push(result))
    const byRegion = (results: RoomResult[]) => Object.fromEntries(results.map((result) => [result.room.region, { panels: result.panels, asOf: result.asOf }]))
    expect(byRegion(got)).toEqual(byRegion(expected))
    expect(sliced.count()).toBe(whole.count())
  }, 60_000)
})
