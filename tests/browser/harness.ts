import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { dashboards } from '../../dashboards'
import type { Principal, Auth } from '../../server/access/principal'
import { startApp, type RunningApp } from '../../server/app'
import { feedByName } from '../../server/ingest'
import { shanghaiText } from '../../server/ingest/fields'
import { storeBatch } from '../../server/ingest/storeBatch'
import { paymentFixture } from '../../server/ingest/test/fixtures'
import { metricRegistry } from '../../server/metrics/registry'
import { testConfig } from '../../server/testing/tempDb'

/**
 * Browser-test harness: the real server (production Next build, live hub, embedded chDB on a
 * temporary directory) and the system Chromium. Screenshots go to test-artifacts/.
 */
export const CHROMIUM = '/usr/bin/chromium'
export const ARTIFACTS = path.resolve('test-artifacts')

/** In CI a missing Chromium fails the run; elsewhere the browser tests are skipped. */
export const browserAvailable = fs.existsSync(CHROMIUM) || Boolean(process.env.CI)

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`)
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export function requireProductionBuild(): void {
  if (!fs.existsSync(path.resolve('.next/BUILD_ID'))) throw new Error('no production build: run `npx next build` before the browser tests')
}

/** A leader of the whole city, until the lead switches the tests to real display tokens. */
export const testPrincipal: Principal = { id: 'browser-test', name: '浏览器测试', role: 'leader', scope: '511000' }
const testAuth: Auth = {
  identify: async () => testPrincipal,
  identifySocket: async () => testPrincipal,
  require: async () => testPrincipal,
}

export interface Running {
  app: RunningApp
  port: number
  close(): Promise<void>
}

/**
 * Starts the app with pages, then the live hub unless app.ts already registers one (the lead wires
 * it into registerParts; until then the test starts it the same way).
 */
export async function startServer(dataDir: string, port?: number): Promise<Running> {
  port ??= await freePort()
  const quiet = { info: () => {}, warn: () => {}, error: (m: string) => console.error(m) }
  const app = await startApp(testConfig(dataDir, { PORT: String(port), TICK_MS: '200' }), { withPages: true, auth: testAuth, log: quiet })
  let hub: { close(): Promise<void> } | null = null
  if (!app.ctx.healthExtras.some((extra) => extra()[0] === 'live')) {
    const { startLiveHub } = await import('../../server/live')
    hub = startLiveHub(app.ctx, app.server, Object.values(dashboards), { heartbeatMs: 1000 })
  }
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
    close: async () => {
      // The server stops as a crash or a restart would: connections drop at once. (app.close()
      // alone waits for open WebSockets before it closes the hub that would end them.)
      for (const socket of sockets) socket.destroy()
      await hub?.close()
      await app.close()
    },
  }
}

/** A port nobody listens on (config refuses PORT=0, and a restart must reuse the same port). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/** Demo data when the simulator is present (server/simulate seedDatabase), else nothing. */
export async function seedIfAvailable(app: RunningApp): Promise<boolean> {
  for (const candidate of ['../../server/simulate/seed', '../../server/simulate/index', '../../server/simulate']) {
    try {
      const module = (await import(/* @vite-ignore */ candidate)) as { seedDatabase?: (db: unknown, options: { scale: number; seed: number }) => Promise<unknown> }
      if (typeof module.seedDatabase === 'function') {
        await module.seedDatabase(app.ctx.db, { scale: 20000, seed: 1 })
        return true
      }
    } catch {
      // not there yet
    }
  }
  return false
}

let batchNo = 0
/**
 * Ingests `count` successful payments paid now through the ingest layer (validation and storage)
 * and announces them as the ingest route does. Returns the yuan added.
 */
export async function ingestPayments(app: RunningApp, count: number, offset: number): Promise<number> {
  const spec = feedByName('payments')!
  const now = Date.now()
  const payTime = shanghaiText(now)
  const period = Number(payTime.slice(0, 4) + payTime.slice(5, 7))
  const records = Array.from({ length: count }, (_, i) =>
    spec.record.parse(paymentFixture(offset + i, { detail_id: `D-B-${offset + i}`, period, pay_time: payTime, applied_at: null, village_reviewed_at: null, publicity_start: null, publicity_end: null })),
  ) as Array<Record<string, unknown>>
  const batchId = `browser-${process.pid}-${++batchNo}`
  const outcome = await storeBatch(app.ctx.db, spec, batchId, records)
  if (outcome.status !== 'stored') throw new Error(`ingest not stored: ${JSON.stringify(outcome)}`)
  for (const listener of app.ctx.onIngest) listener({ feed: 'payments', batchId, rows: records.length, acknowledgedAt: Date.now() })
  return records.reduce((sum, r) => sum + Number(r.amount_paid), 0)
}

/**
 * The same person paid twice for one project and period in one county: rule R02 (critical).
 * Returns the county the flag will name.
 */
export async function ingestDuplicatePayment(app: RunningApp, n: number): Promise<string> {
  const spec = feedByName('payments')!
  const payTime = shanghaiText(Date.now())
  const period = Number(payTime.slice(0, 4) + payTime.slice(5, 7))
  const records = ['a', 'b'].map((copy) =>
    spec.record.parse(paymentFixture(n, { detail_id: `D-DUP-${n}-${copy}`, period, pay_time: payTime, applied_at: null, village_reviewed_at: null, publicity_start: null, publicity_end: null })),
  ) as Array<Record<string, unknown>>
  const batchId = `browser-dup-${process.pid}-${n}`
  const outcome = await storeBatch(app.ctx.db, spec, batchId, records)
  if (outcome.status !== 'stored') throw new Error(`ingest not stored: ${JSON.stringify(outcome)}`)
  for (const listener of app.ctx.onIngest) listener({ feed: 'payments', batchId, rows: records.length, acknowledgedAt: Date.now() })
  return String(records[0].county_code)
}

/** Panels whose metric the server can compute (the rules' metrics join the registry later). */
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

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const file = path.join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path: file })
  return file
}
