import { describe, expect, it } from 'vitest'
import { matchMarkers } from './matchMarkers'
import { MIN_SAMPLES, summarize } from './stats'

const themes = new Set(['overview', 'payments'])

describe('matchMarkers: ingest → screen from marker times the screens saw', () => {
  it('takes the first update whose asOf reaches the marker, per screen of a room the batch changes', () => {
    const batches = [{ county: '511025', markerMs: 10_000, ackAt: 10_100 }]
    const screens = [
      { room: 'overview:511000', advances: [[9_000, 5_000], [10_400, 10_000], [11_000, 12_000]] as Array<[number, number]> },
      { room: 'payments:511025', advances: [[12_100, 10_000]] as Array<[number, number]> },
      { room: 'payments:511011', advances: [[10_200, 10_000]] as Array<[number, number]> }, // another county: not changed
      { room: 'rectification:511000', advances: [[10_300, 10_000]] as Array<[number, number]> }, // shows no payments
    ]
    const matched = matchMarkers(batches, screens, themes)
    expect(matched.expected).toBe(2)
    expect(matched.missed).toBe(0)
    expect(matched.all.n).toBe(2)
    expect(matched.all.max).toBe(2000)
    expect(matched.byTheme.overview.max).toBe(300)
  })

  it('counts a screen that never reached the marker as missed, and a later batch shown first as this one shown then', () => {
    const batches = [
      { county: '511025', markerMs: 10_000, ackAt: 10_100 },
      { county: '511025', markerMs: 12_000, ackAt: 12_050 },
      { county: '511025', markerMs: 14_000, ackAt: 14_050 },
    ]
    const screens = [{ room: 'payments:511025', advances: [[13_000, 12_000]] as Array<[number, number]> }]
    const matched = matchMarkers(batches, screens, themes)
    expect(matched.expected).toBe(3)
    expect(matched.missed).toBe(1)
    expect(matched.all.max).toBe(2900)
  })
})

describe('summarize', () => {
  it(`prints no percentile from fewer than ${MIN_SAMPLES} samples, only the count and the maximum`, () => {
    const few = summarize([5, 1, 9])
    expect(few).toEqual({ n: 3, p50: null, p95: null, p99: null, max: 9 })
    const many = summarize(Array.from({ length: 200 }, (_, i) => 200 - i))
    expect(many.p50).toBe(100)
    expect(many.p95).toBe(190)
    expect(many.p99).toBe(198)
  })
})
