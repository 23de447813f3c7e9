import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AppContext } from '../../context'
import type { Db } from '../../db/client'
import { Router, sendJson } from '../../http/router'
import { registerHealthRoutes } from '../../http/healthRoutes'
import { tokenAuth } from '../../testing/tokenAuth'
import { testConfig } from '../../testing/tempDb'
import { childrenOf } from '../../../geo/regions'
import type { ChannelConfig } from '../config'
import { startNotify, type NotifyPart } from '../index'
import { registerNotifyRoutes } from '../routes'

/** The notify part over a real database, with its admin routes and /api/health on a real HTTP server. */
export interface NotifyUnderTest {
  ctx: AppContext
  notify: NotifyPart
  url: string
  logs: string[]
  adminHeaders: Record<string, string>
  close(): Promise<void>
}

/**
 * The briefing schedule reads `clock`; by default a fixed early hour of the test day, so the real
 * time of day never sends a briefing in the middle of a test.
 */
export async function startNotifyUnderTest(
  db: Db & { dataDir: string },
  channels: ChannelConfig[],
  env: Record<string, string> = {},
  clock: () => { day: string; time: string } = () => ({ day: '2024-10-22', time: '00:00' }),
): Promise<NotifyUnderTest> {
  const logs: string[] = []
  const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) }
  const auth = tokenAuth({ 'admin-token': { id: 'u-admin', name: 'admin', role: 'admin', scope: '511000' }, 'staff-token': { id: 'u-staff', name: 'staff', role: 'staff', scope: '511025' } })
  const ctx: AppContext = { config: testConfig(db.dataDir), db, log, startedAt: new Date(), auth, onIngest: [], dataChanged: () => {}, healthExtras: [] }
  const notify = await startNotify(ctx, {
    env: { NOTIFY_POLL_MS: '50', NOTIFY_PUBLIC_URL: 'https://wall.example', NOTIFY_BACKOFF_SECONDS: '0.05', NOTIFY_RATE_PAUSE_SECONDS: '0.2', ...env },
    channels,
    today: () => '2024-10-22',
    clock,
  })
  const router = new Router()
  registerHealthRoutes(router)
  registerNotifyRoutes(router, notify)
  const server = http.createServer((req, res) => {
    void router.handle(req, res, ctx).then((handled) => {
      if (!handled) sendJson(res, 404, { error: 'no route' })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    ctx, notify, logs,
    url: `http://127.0.0.1:${port}`,
    adminHeaders: { authorization: 'Bearer admin-token', 'content-type': 'application/json' },
    async close() {
      await notify.close()
      await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) })
    },
  }
}

export interface TestFlag {
  id: string
  rule?: string
  severity?: 'info' | 'warn' | 'critical'
  county: string
  subject?: string
  amount?: number
}

/** A town of the county (flags carry county, town and village codes like the rules write them). */
export function townOf(county: string): string {
  return childrenOf(county)[0].code
}

let caseSeq = 0

/** Rows in the real flag table, written the way the rule engine writes them. */
export async function insertFlags(db: Db, flags: TestFlag[]): Promise<void> {
  const rows = flags.map((f) => ({
    flag_id: f.id,
    rule_id: f.rule ?? 'R01',
    case_key: `case-${f.id}-${caseSeq++}`,
    severity: f.severity ?? 'critical',
    class: '基础数据不准',
    county_code: f.county,
    town_code: townOf(f.county),
    village_code: '',
    amount: f.amount ?? 300,
    subject: f.subject ?? '张** 511025********1234',
    detail_ids: [],
    detected_at: '2024-10-22 10:00:00.000',
  }))
  for (let i = 0; i < rows.length; i += 5000) await db.client.insert({ table: 'flag', values: rows.slice(i, i + 5000), format: 'JSONEachRow' })
}

/** Waits until `check` holds (polling), or fails with `what`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
