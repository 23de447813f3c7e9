import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { dashboards } from '../../dashboards'
import { issueDisplayToken } from '../../server/access/displayTokenStore'
import { createUser } from '../../server/access/userStore'
import { seedDatabase } from '../../server/simulate/seed'
import { startApp, type RunningApp } from '../../server/app'
import { paymentFixture } from '../../server/ingest/test/fixtures'
import { metricRegistry } from '../../server/metrics/registry'
import { testConfig } from '../../server/testing/tempDb'
import { beijingDateTime, beijingMonthBefore } from '../../server/beijingTime'

/**
 * Browser-test harness: the real server (production Next build, live hub, embedded chDB on a
 * temporary directory) and the system Chromium. Screenshots go to test-artifacts/.
 */
export const CHROMIUM = '/usr/bin/chromium'
export const ARTIFACTS = path.resolve('test-artifacts')

/** In CI a missing Chromium fails the run; elsewhere the browser tests are skipped. */
export const browserAvailable = fs.existsSync(CHROMIUM) || Boolean(process.env.CI)

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`)
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  })
}

export function requireProductionBuild(): void {
  if (!fs.existsSync(path.resolve('.next/BUILD_ID'))) throw new Error('no production build: run `npx next build` before the browser tests')
}

export interface Running {
  app: RunningApp
  port: number
  /** A wall screen's display token (role wall, whole city), issued like an admin would. */
  wallToken: string
  /** Session cookie of a signed-in leader (whole city), for the review and drill pages. */
  leaderCookie: { name: string; value: string }
  close(): Promise<void>
}

/** Starts the whole app with pages (real sign-in layer, live hub, rule engine); `env` adds configuration. */
export async function startServer(dataDir: string, port?: number, env: Record<string, string> = {}, prepare?: (ctx: RunningApp['ctx']) => Promise<void>): Promise<Running> {
  const quiet = { info: () => {}, warn: () => {}, error: (m: string) => console.error(m) }
  const app = await startApp(testConfig(dataDir, { PORT: String(port ?? 0), TICK_MS: '200', ...env }), { withPages: true, log: quiet, prepare })
  const { wallToken, leaderCookie } = await credentials(app)
  // every connection, upgraded WebSockets included, so a stop is a stop (see close below)
  const sockets = new Set<net.Socket>()
  app.server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  const actualPort = Number(new URL(app.url).port)
  return {
    app,
    port: actualPort,
    wallToken,
    leaderCookie,
    close: async () => {
      // The server stops as a crash or a restart would: connections drop at once. (app.close()
      // alone waits for open WebSockets before it closes the hub that would end them.)
      for (const socket of sockets) socket.destroy()
      await app.close()
    },
  }
}

/**
 * A display token and a leader session, made once per data directory and kept in it, so a server
 * restarted on the same directory accepts the same credentials (as a wall left on would expect).
 */
const issued = new Map<string, { wallToken: string; leaderCookie: { name: string; value: string } }>()
async function credentials(app: RunningApp): Promise<{ wallToken: string; leaderCookie: { name: string; value: string } }> {
  const known = issued.get(app.ctx.config.dataDir)
  if (known) return known
  const { token: wallToken } = await issueDisplayToken(app.ctx.db, { label: 'browser-test-wall', scope: '511000', createdBy: 'test' })
  await createUser(app.ctx.db, { username: 'browser-leader', role: 'leader', scope: '511000', password: 'browser-leader-pw' })
  const response = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'browser-leader', password: 'browser-leader-pw' }),
  })
  if (response.status !== 200) throw new Error(`leader sign-in answered ${response.status}`)
  const [name, value] = response.headers.get('set-cookie')!.split(';')[0].split('=')
  const made = { wallToken, leaderCookie: { name, value } }
  issued.set(app.ctx.config.dataDir, made)
  return made
}


/**
 * A server on small calibrated demo data whose history ends last month, seeded as `npm start`
 * seeds: before the live hub and the rules start, so no room ever holds figures from before it.
 */
export function startDemoServer(dataDir: string): Promise<Running> {
  return startServer(dataDir, undefined, {}, (ctx) => seedDatabase(ctx.db, { scale: 20000, seed: 1, lastPeriod: beijingMonthBefore() }).then(() => undefined))
}

/** Posts a batch to the real ingest endpoint, as a paying bank's feed would. */
async function postPayments(app: RunningApp, batchId: string, records: Array<Record<string, unknown>>): Promise<void> {
  const response = await fetch(`${app.url}/api/ingest/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.ctx.config.INGEST_TOKEN}` },
    body: JSON.stringify({ batchId, records }),
  })
  const body = await response.json()
  if (response.status !== 200 || body.status !== 'stored') throw new Error(`ingest answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`)
}

let batchNo = 0
/**
 * Ingests `count` successful payments paid now through the ingest layer (validation and storage)
 * and announces them as the ingest route does. Returns the yuan added.
 */
export async function ingestPayments(app: RunningApp, count: number, offset: number): Promise<number> {
  const now = Date.now()
  const payTime = beijingDateTime(now)
  const period = Number(payTime.slice(0, 4) + payTime.slice(5, 7))
  const records = Array.from({ length: count }, (_, i) =>
    paymentFixture(offset + i, { detail_id: `D-B-${offset + i}`, period, pay_time: payTime, applied_at: null, village_reviewed_at: null, publicity_start: null, publicity_end: null }),
  ) as Array<Record<string, unknown>>
  await postPayments(app, `browser-${process.pid}-${++batchNo}`, records)
  return records.reduce((sum, r) => sum + Number(r.amount_paid), 0)
}

/**
 * The same person paid twice for one project and period in one county: rule R02 (critical).
 * Returns the county the flag will name.
 */
export async function ingestDuplicatePayment(app: RunningApp, n: number): Promise<string> {
  const payTime = beijingDateTime(Date.now())
  const period = Number(payTime.slice(0, 4) + payTime.slice(5, 7))
  const records = ['a', 'b'].map((copy) =>
    paymentFixture(n, { detail_id: `D-DUP-${n}-${copy}`, period, pay_time: payTime, applied_at: null, village_reviewed_at: null, publicity_start: null, publicity_end: null }),
  ) as Array<Record<string, unknown>>
  await postPayments(app, `browser-dup-${process.pid}-${n}`, records)
  return String(records[0].county_code)
}

/** Panels whose metric the server computes. */
export function computablePanels(theme: keyof typeof dashboards): string[] {
  return dashboards[theme].panels.filter((p) => metricRegistry.has(p.metric)).map((p) => p.id)
}

/** Collects console errors and page errors of a page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const file = path.join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path: file, ...options })
  return file
}
