import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

/**
 * Builds the Next.js pages when the production build in .next is missing or older than the
 * sources the pages are made of, so `npm start` and `npm test` work on a fresh clone without a
 * separate build step and without rebuilding every time.
 */
const root = process.cwd()
const buildId = path.join(root, '.next', 'BUILD_ID')
const sources = ['app', 'dashboards', 'geo', 'next.config.ts', 'package-lock.json', 'tsconfig.json']

function newestMtime(entry: string): number {
  const full = path.join(root, entry)
  if (!fs.existsSync(full)) return 0
  const stat = fs.statSync(full)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const child of fs.readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(entry, child)))
  return newest
}

const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0
const changedAt = Math.max(...sources.map(newestMtime))
if (builtAt >= changedAt) {
  console.log('[ykt] page build is up to date')
} else {
  console.log('[ykt] building the wall pages (next build)…')
  const result = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } })
  if (result.status !== 0) {
    console.error('[ykt] cannot start: next build failed (see above)')
    process.exit(result.status ?? 1)
  }
}
