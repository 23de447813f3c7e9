import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { OPERATIONAL_TABLES } from './wallFingerprint'

/**
 * The idle wall skips a clock refresh while the fingerprint stands, and the fingerprint leaves
 * out OPERATIONAL_TABLES. A panel that read one of them would then miss its changes: no code the
 * wall's figures come from may name one.
 */
const ROOT = path.resolve(__dirname, '../..')
const WALL_SOURCES = ['server/metrics', 'server/rules/queries', 'server/live', 'dashboards', 'server/flagPush.ts']

function sourceFiles(entry: string): string[] {
  const full = path.join(ROOT, entry)
  if (fs.statSync(full).isFile()) return [full]
  return fs.readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.includes('/test/') && !name.startsWith('test/'))
    .map((name) => path.join(full, name))
    .filter((file) => !file.endsWith('wallFingerprint.ts'))
}

describe('tables left out of the wall fingerprint', () => {
  const files = WALL_SOURCES.flatMap(sourceFiles)

  it('finds the wall sources', () => {
    expect(files.length).toBeGreaterThan(50)
    expect(files.some((file) => fs.readFileSync(file, 'utf8').includes('agg_region_month'))).toBe(true)
  })

  it('are read by no metric, wall query or flag push', () => {
    const readers: string[] = []
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8')
      for (const table of OPERATIONAL_TABLES) if (new RegExp(`\\b${table}\\b`).test(text)) readers.push(`${path.relative(ROOT, file)} reads ${table}`)
    }
    expect(readers).toEqual([])
  })
})
