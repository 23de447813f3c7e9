import { describe, expect, it } from 'vitest'
import { IngestLatency } from './latency'

describe('IngestLatency: ingest → screen per room the batch changed', () => {
  it('takes one sample per watched room whose next computation pushed an update, from the ack', () => {
    const latency = new IngestLatency()
    latency.received(1000, ['overview:511000', 'payments:511025'], 1005)
    latency.computed('overview:511000', 1060, true, 1300)
    latency.computed('payments:511025', 1060, true, 2400)
    expect(latency.ring.count).toBe(2)
    expect(latency.ring.percentile(50)).toBe(300)
    expect(latency.ring.percentile(100)).toBe(1400)
  })

  it('does not let the first room to emit stand in for a slower one', () => {
    const latency = new IngestLatency()
    latency.received(0, ['a', 'b'], 0)
    latency.computed('a', 10, true, 100)
    latency.computed('a', 200, true, 300) // a second push of room a is no sample
    expect(latency.ring.count).toBe(1)
    latency.computed('b', 10, true, 5000)
    expect(latency.ring.count).toBe(2)
    expect(latency.ring.last).toBe(5000)
  })

  it('ignores computations that started before the batch arrived, and rooms the batch did not change', () => {
    const latency = new IngestLatency()
    latency.received(1000, ['a', 'b'], 1000)
    latency.computed('a', 990, true, 1100) // started before the batch: shows older data
    latency.computed('b', 1050, false, 1200) // recomputed, nothing changed: not a room the batch changed
    expect(latency.ring.count).toBe(0)
    latency.computed('a', 1050, true, 1500)
    expect(latency.ring.count).toBe(1)
    expect(latency.ring.last).toBe(500)
  })

  it('waits only on rooms watched when the batch arrived: a room subscribed later (rotation) is no sample', () => {
    const latency = new IngestLatency()
    latency.received(0, ['overview:511000'], 0)
    latency.computed('alerts:511000', 20, true, 25_000)
    expect(latency.ring.count).toBe(0)
  })

  it('counts watched rooms that never showed the batch as unshown when it expires', () => {
    const latency = new IngestLatency(60_000)
    latency.received(0, ['a', 'b'], 0)
    latency.computed('a', 10, true, 100)
    latency.expire(59_000)
    expect(latency.expired).toBe(0)
    latency.expire(61_000)
    expect(latency.expired).toBe(1)
    latency.computed('b', 62_000, true, 62_100)
    expect(latency.ring.count).toBe(1)
  })

  it('keeps nothing for a batch no screen watches', () => {
    const latency = new IngestLatency(1000)
    latency.received(0, [], 0)
    latency.expire(5000)
    expect(latency.expired).toBe(0)
  })
})
