import fs from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import zlib from 'node:zlib'

/**
 * First-load JS of an app-router page, read from a production build (deterministic: no browser,
 * no timing): the scripts every page starts with (build-manifest rootMainFiles) plus those the
 * page's client-reference manifest lists for its layouts and the page itself. Chunks a page
 * fetches later by dynamic import (ECharts, the county map) are not in it; they are listed apart.
 * Used by the bench (scripts/bench/sections/wallWeight.ts) and tests/browser/wallWeight.test.ts.
 */
export interface ChunkWeight {
  file: string
  bytes: number
  gzipBytes: number
}

export interface PageWeight {
  route: string
  firstLoad: ChunkWeight[]
  firstLoadGzip: number
  /** every other JS chunk of the build (loaded on demand by some page, or by none) */
  others: ChunkWeight[]
}

function weigh(buildDir: string, file: string): ChunkWeight {
  const bytes = fs.readFileSync(path.join(buildDir, file))
  return { file, bytes: bytes.length, gzipBytes: zlib.gzipSync(bytes, { level: 9 }).length }
}

/** `route` as the build names it: '/wall/page'. */
export function pageWeight(route = '/wall/page', buildDir = path.resolve('.next')): PageWeight {
  const buildManifest = JSON.parse(fs.readFileSync(path.join(buildDir, 'build-manifest.json'), 'utf8')) as { rootMainFiles: string[] }
  const manifestFile = path.join(buildDir, 'server/app', `${route}_client-reference-manifest.js`)
  // The manifest is a script assigning globalThis.__RSC_MANIFEST[route]; run it in a sandbox.
  const sandbox: { __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> } = {}
  vm.runInNewContext(fs.readFileSync(manifestFile, 'utf8'), { globalThis: sandbox })
  const entry = sandbox.__RSC_MANIFEST?.[route]
  if (!entry) throw new Error(`${manifestFile} has no entry for ${route}`)
  const files = [...new Set([...buildManifest.rootMainFiles, ...Object.values(entry.entryJSFiles).flat()])]
  const firstLoad = files.map((file) => weigh(buildDir, file))
  const chunkDir = path.join(buildDir, 'static/chunks')
  const others = fs
    .readdirSync(chunkDir)
    .filter((name) => name.endsWith('.js'))
    .map((name) => `static/chunks/${name}`)
    .filter((file) => !files.includes(file))
    .map((file) => weigh(buildDir, file))
  return { route, firstLoad, firstLoadGzip: firstLoad.reduce((sum, chunk) => sum + chunk.gzipBytes, 0), others }
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`
