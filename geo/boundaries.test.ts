import { describe, expect, it } from 'vitest'
import { geoArea, geoBounds, geoContains, geoDistance } from 'd3-geo'
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson'
import countiesRaw from './data/neijiang-counties.geo.json'
import { CITY_CODE, centroidOf, countyBoundaries, fitProjection, regionsAtLevel, sichuanCities } from './index'

// Seats of government [lon, lat], written here independently of the data.
const SEATS: Record<string, [string, number, number]> = {
  '511002': ['市中区', 105.068, 29.587],
  '511011': ['东兴区', 105.075, 29.593],
  '511024': ['威远县', 104.669, 29.527],
  '511025': ['资中县', 104.852, 29.764],
  '511083': ['隆昌市', 105.288, 29.339],
}
const seatOf = (code: string): [number, number] => [SEATS[code][1], SEATS[code][2]]

const SICHUAN: Record<string, string> = {
  '510100': '成都市', '510300': '自贡市', '510400': '攀枝花市', '510500': '泸州市',
  '510600': '德阳市', '510700': '绵阳市', '510800': '广元市', '510900': '遂宁市',
  '511000': '内江市', '511100': '乐山市', '511300': '南充市', '511400': '眉山市',
  '511500': '宜宾市', '511600': '广安市', '511700': '达州市', '511800': '雅安市',
  '511900': '巴中市', '512000': '资阳市', '513200': '阿坝藏族羌族自治州',
  '513300': '甘孜藏族自治州', '513400': '凉山彝族自治州',
}

const rings = (f: Feature<Polygon | MultiPolygon>): Position[][] =>
  f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat()
const totalArea = (fs: Feature[]) => fs.reduce((s, f) => s + geoArea(f), 0)

describe('countyBoundaries', () => {
  const features = countyBoundaries.features

  it('has the five counties with code, name and seat, and no UTF8Encoding flag', () => {
    expect(features.map((f) => [f.properties.code, f.properties.name]).sort()).toEqual(
      Object.entries(SEATS).map(([code, [name]]) => [code, name]),
    )
    expect(countyBoundaries.type).toBe('FeatureCollection')
    expect(countiesRaw).not.toHaveProperty('UTF8Encoding')
    expect(JSON.stringify(countiesRaw)).not.toContain('隆昌县')
    for (const f of features) {
      expect(Object.keys(f.properties).sort()).toEqual(['code', 'name', 'seat'])
      expect(f.properties.seat[0]).toBeCloseTo(SEATS[f.properties.code][1], 2)
      expect(f.properties.seat[1]).toBeCloseTo(SEATS[f.properties.code][2], 2)
    }
  })

  it('is wound for d3-geo: every feature small (< 0.01 sr), none inside-out', () => {
    for (const f of features) {
      const a = geoArea(f)
      expect(a, f.properties.name).toBeGreaterThan(1e-6)
      expect(a, f.properties.name).toBeLessThan(0.01)
    }
    // Neijiang is ~5,386 km²; on a sphere of 6371 km that is ~1.33e-4 sr.
    expect(totalArea(features)).toBeGreaterThan(1.2e-4)
    expect(totalArea(features)).toBeLessThan(1.45e-4)
  })

  it('has closed rings of at least 4 positions inside Neijiang’s box', () => {
    for (const f of features)
      for (const r of rings(f)) {
        expect(r.length).toBeGreaterThanOrEqual(4)
        expect(r[0]).toEqual(r.at(-1))
        for (const [lon, lat] of r) {
          expect(lon).toBeGreaterThan(104.2)
          expect(lon).toBeLessThan(105.6)
          expect(lat).toBeGreaterThan(29.1)
          expect(lat).toBeLessThan(30.2)
        }
      }
  })

  it('contains each county seat in its own polygon and in no other', () => {
    for (const code of Object.keys(SEATS)) {
      const inside = features.filter((f) => geoContains(f, seatOf(code))).map((f) => f.properties.code)
      expect(inside, SEATS[code][0]).toEqual([code])
    }
  })
})

describe('centroidOf', () => {
  it('gives each county a centroid within ~40 km of its seat, inside Neijiang', () => {
    for (const code of Object.keys(SEATS)) {
      const c = centroidOf(code)!
      expect(geoDistance(c, seatOf(code)) * 6371, SEATS[code][0]).toBeLessThan(40)
      expect(countyBoundaries.features.some((f) => geoContains(f, c))).toBe(true)
    }
  })

  it('uses the nearest ancestor for towns and villages, undefined when unknown', () => {
    for (const r of [...regionsAtLevel('town'), ...regionsAtLevel('village')])
      expect(centroidOf(r.code)).toEqual(centroidOf(r.code.slice(0, 6)))
    const city = centroidOf(CITY_CODE)!
    expect(countyBoundaries.features.some((f) => geoContains(f, city))).toBe(true)
    expect(centroidOf('999999')).toBeUndefined()
  })
})

describe('sichuanCities', () => {
  const features = sichuanCities.features
  const byCode = new Map(features.map((f) => [f.properties.code, f]))

  it('has the 21 cities with GB/T 2260 codes and names', () => {
    expect(features).toHaveLength(21)
    expect(Object.fromEntries(features.map((f) => [f.properties.code, f.properties.name]))).toEqual(SICHUAN)
  })

  it('is decoded into plain lon/lat within Sichuan and wound for d3-geo', () => {
    const [[w, s], [e, n]] = geoBounds(sichuanCities)
    expect(w).toBeGreaterThan(97)
    expect(e).toBeLessThan(109)
    expect(s).toBeGreaterThan(26)
    expect(n).toBeLessThan(34.5)
    expect(w).toBeLessThan(98.5) // 甘孜 reaches ~97.3°E
    expect(n).toBeGreaterThan(34) // 阿坝 reaches ~34.3°N
    for (const f of features) {
      expect(geoArea(f), f.properties.name).toBeLessThan(0.01)
      expect(geoArea(f), f.properties.name).toBeGreaterThan(1e-6)
      for (const r of rings(f)) expect(r[0]).toEqual(r.at(-1))
    }
    // Sichuan is ~486,000 km² ≈ 0.0120 sr
    expect(totalArea(features)).toBeGreaterThan(0.0112)
    expect(totalArea(features)).toBeLessThan(0.0128)
  })

  it('puts Neijiang’s county seats in 内江市 and in no other city', () => {
    for (const code of Object.keys(SEATS)) {
      const inside = features.filter((f) => geoContains(f, seatOf(code))).map((f) => f.properties.code)
      expect(inside, SEATS[code][0]).toEqual([CITY_CODE])
    }
  })

  it('draws 内江市 about the size of its five counties together', () => {
    const ratio = geoArea(byCode.get(CITY_CODE)!) / totalArea(countyBoundaries.features)
    expect(ratio).toBeGreaterThan(0.95)
    expect(ratio).toBeLessThan(1.05)
  })

  it('contains each city’s own seat', () => {
    for (const f of features) expect(geoContains(f, f.properties.seat), f.properties.name).toBe(true)
    expect(geoContains(byCode.get('510100')!, [104.066, 30.657])).toBe(true) // Chengdu 天府广场
  })
})

describe('fitProjection', () => {
  it('maps every county seat inside the box, filling it', () => {
    for (const [w, h] of [[800, 600], [300, 900], [1920, 1080]]) {
      const p = fitProjection(w, h)
      for (const code of Object.keys(SEATS)) {
        const [x, y] = p(seatOf(code))!
        expect(x).toBeGreaterThanOrEqual(0)
        expect(x).toBeLessThanOrEqual(w)
        expect(y).toBeGreaterThanOrEqual(0)
        expect(y).toBeLessThanOrEqual(h)
      }
      // north up: 资中 (29.76°N) above 隆昌 (29.34°N); west left: 威远 left of 隆昌
      expect(p(seatOf('511025'))![1]).toBeLessThan(p(seatOf('511083'))![1])
      expect(p(seatOf('511024'))![0]).toBeLessThan(p(seatOf('511083'))![0])
    }
  })

  it('fits other collections too', () => {
    const p = fitProjection(1000, 1000, sichuanCities)
    const [x, y] = p([104.066, 30.657])!
    expect(x).toBeGreaterThan(0)
    expect(x).toBeLessThan(1000)
    expect(y).toBeGreaterThan(0)
    expect(y).toBeLessThan(1000)
    // Neijiang is a small part of Sichuan
    const [a, b] = [p(seatOf('511024'))!, p(seatOf('511083'))!]
    expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeLessThan(100)
  })
})
