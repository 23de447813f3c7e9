import { describe, expect, it } from 'vitest'
import { geoPath } from 'd3-geo'
import { countyBoundaries, fitProjection } from '../../geo/boundaries'
import { placeMapLabels, type LabelRequest } from './mapLabels'

const overlap = (a: { at: [number, number] }, b: { at: [number, number] }, w: number, h: number) =>
  Math.abs(a.at[0] - b.at[0]) < w && Math.abs(a.at[1] - b.at[1]) < h

describe('placeMapLabels', () => {
  it('keeps labels that do not collide at their anchors', () => {
    const placed = placeMapLabels([
      { code: 'a', anchor: [100, 100], width: 60, height: 30, area: 2 },
      { code: 'b', anchor: [300, 100], width: 60, height: 30, area: 1 },
    ], { width: 400, height: 200 })
    expect(placed.map((p) => p.moved)).toEqual([false, false])
    expect(placed[1].at).toEqual([300, 100])
  })

  it('moves the smaller of two colliding labels and marks it for a leader line', () => {
    const placed = placeMapLabels([
      { code: 'small', anchor: [205, 102], width: 60, height: 30, area: 1 },
      { code: 'big', anchor: [200, 100], width: 60, height: 30, area: 5 },
    ], { width: 400, height: 200 })
    const [small, big] = placed
    expect(big.moved).toBe(false)
    expect(small.moved).toBe(true)
    expect(overlap(small, big, 60, 30)).toBe(false)
  })

  it('separates every county label of the real Neijiang map (市中区 sits beside 东兴区)', () => {
    const width = 700, height = 420
    const projection = fitProjection(width, height)
    const path = geoPath(projection)
    const requests: LabelRequest[] = countyBoundaries.features.map((f) => ({
      code: f.properties.code,
      anchor: projection(f.properties.seat)!,
      width: 80,
      height: 40,
      area: path.area(f),
    }))
    const placed = placeMapLabels(requests, { width, height })
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++) expect(overlap(placed[i], placed[j], 80, 40), `${placed[i].code} vs ${placed[j].code}`).toBe(false)
    expect(placed.find((p) => p.code === '511002')!.moved).toBe(true)
  })
})
