import { describe, expect, it } from 'vitest'
import { defaultWarmRegions } from '../../../server/live/hub'
import { regionsAtLevel } from '../../../geo/regions'
import { refreshRegions } from './rooms'

describe('refreshRegions: rooms whose subscribe is a full refresh', () => {
  it('gives only rooms the hub does not keep warm (a warm room is answered from memory)', () => {
    const warm = new Set(defaultWarmRegions())
    const regions = refreshRegions(100)
    expect(regions).toHaveLength(100)
    expect(regions.filter((region) => warm.has(region.code))).toEqual([])
  })

  it('spreads them over the villages of every county, each once', () => {
    const regions = refreshRegions(100)
    expect(new Set(regions.map((region) => region.code)).size).toBe(100)
    const countyOf = new Map(regionsAtLevel('village').map((village) => [village.code, village.code.slice(0, 6)]))
    const counties = new Set(regions.map((region) => countyOf.get(region.code)))
    expect(counties.size).toBe(regionsAtLevel('county').length)
  })
})
