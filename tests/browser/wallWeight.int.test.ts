import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { pageWeight, type PageWeight } from '../../scripts/bench/wallWeight'
import { requireProductionBuild } from './harness'

/**
 * The wall's page weight, read from the production build (bytes, not timings: deterministic).
 * On main /wall loaded 661 KB of JS (gzip) up front: the full set of ECharts modules, d3-geo and
 * both boundary files (Sichuan's alone 197 KB gzip) in one 1.95 MB chunk. Now ECharts and the
 * county map arrive in chunks of their own when first drawn, and Sichuan's boundaries in none.
 */
const FIRST_LOAD_BUDGET = 300 * 1024

/** Chart kinds the full ECharts build registers and the pages never draw (app/lib/echartsModules.ts registers the rest). */
const UNUSED_SERIES = /series\.(scatter|effectScatter|heatmap|parallel|lines|custom)\b/

let wall: PageWeight
const text = (file: string) => fs.readFileSync(path.resolve('.next', file), 'utf8')

beforeAll(() => {
  requireProductionBuild()
  wall = pageWeight('/wall/page')
})

describe('/wall page weight (production build)', () => {
  it(`loads at most ${FIRST_LOAD_BUDGET / 1024} KB of JS (gzip) up front`, () => {
    expect(wall.firstLoad.length).toBeGreaterThan(0)
    expect(wall.firstLoadGzip).toBeLessThanOrEqual(FIRST_LOAD_BUDGET)
  })

  it('keeps ECharts, d3-geo and the boundaries out of the first-load chunks', () => {
    for (const chunk of wall.firstLoad) {
      const code = text(chunk.file)
      // booleans, not the chunk itself: a failure names the file instead of printing 2 MB of code
      expect(/series\.(bar|line|pie)\b/.test(code), `${chunk.file} holds ECharts`).toBe(false)
      // d3-geo's geoPath and every GeoJSON file name this type
      expect(code.includes('FeatureCollection'), `${chunk.file} holds d3-geo or GeoJSON`).toBe(false)
    }
  })

  it('bundles only the ECharts chart kinds used, never the full build, and no Sichuan boundaries', () => {
    const all = [...wall.firstLoad, ...wall.others]
    const echartsChunks = all.filter((chunk) => /series\.(bar|line|pie)\b/.test(text(chunk.file)))
    expect(echartsChunks.length).toBeGreaterThan(0) // the marker still finds ECharts where it is
    for (const chunk of all) {
      const code = text(chunk.file)
      expect(UNUSED_SERIES.test(code), `${chunk.file} holds the full ECharts build`).toBe(false)
      expect(code.includes('成都市'), `${chunk.file} holds Sichuan's city boundaries`).toBe(false)
    }
  })
})
