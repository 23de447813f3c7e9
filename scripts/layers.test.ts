import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkLayers } from './layers'

let root = ''
afterEach(() => rmSync(root, { recursive: true, force: true }))

function repo(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'layers-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  execFileSync('git', ['init', '-q'], { cwd: root })
  return root
}

describe('layer rules', () => {
  it('names a backward arrow with its rule, static, re-exported or dynamic', () => {
    const { violations } = checkLayers(
      repo({
        'server/rules/thresholds.ts': 'export const t = 1\n',
        'server/live/hub.ts': 'export const h = 1\n',
        'server/metrics/idle.ts': "import { t } from '../rules/thresholds'\nexport * from '../live/hub'\nexport const x = t\n",
        'app/page.tsx': "export async function f() { return import('../server/metrics/idle') }\n",
      }),
    )
    expect(violations.map((v) => `${v.from} → ${v.to} ${v.rule}`).sort()).toEqual([
      'app/page.tsx → server/metrics/idle.ts app-not-server',
      'server/metrics/idle.ts → server/live/hub.ts metrics-below-live',
      'server/metrics/idle.ts → server/rules/thresholds.ts metrics-below-live',
    ])
  })

  it('lets arrows that follow the flow and tests that reach across layers pass', () => {
    const { violations } = checkLayers(
      repo({
        'server/db/client.ts': 'export const db = 1\n',
        'server/metrics/total.ts': "import { db } from '../db/client'\nexport const total = db\n",
        'server/live/hub.ts': "import { total } from '../metrics/total'\nexport const hub = total\n",
        'server/metrics/total.test.ts': "import { hub } from '../live/hub'\nexport const seen = hub\n",
      }),
    )
    expect(violations).toEqual([])
  })

  it('asks a test that opens chDB or drives Socket.IO to be named *.int.test.ts', () => {
    const { violations } = checkLayers(
      repo({
        'server/testing/tempDb.ts': 'export const openTempDb = 1\n',
        'server/metrics/total.test.ts': "import { openTempDb } from '../testing/tempDb'\nexport const t = openTempDb\n",
        'server/live/hub.test.ts': "import { io } from 'socket.io-client'\nexport const t = io\n",
        'server/metrics/total.int.test.ts': "import { openTempDb } from '../testing/tempDb'\nexport const t = openTempDb\n",
      }),
    )
    expect(violations.map((v) => `${v.from} → ${v.to} ${v.rule}`).sort()).toEqual([
      'server/live/hub.test.ts → socket.io-client unit-test-is-pure',
      'server/metrics/total.test.ts → server/testing/tempDb.ts unit-test-is-pure',
    ])
  })

  it('keeps HttpError out of domain modules but lets route modules map it', () => {
    const { violations } = checkLayers(
      repo({
        'server/http/router.ts': 'export class HttpError extends Error {}\n',
        'server/records/routes.ts': "import { HttpError } from '../http/router'\nexport const e = HttpError\n",
        'server/records/filters.ts': "import { HttpError } from '../http/router'\nexport const e = HttpError\n",
      }),
    )
    expect(violations.map((v) => `${v.from} ${v.rule}`)).toEqual(['server/records/filters.ts http-in-routes'])
  })
})
