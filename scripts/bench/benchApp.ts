import net from 'node:net'
import { startApp, type RunningApp } from '../../server/app'
import { loadConfig } from '../../server/config'
import { dashboards } from '../../dashboards'
import type { LiveHub } from '../../server/live'
import { attachHub, tokenAuth } from '../../server/live/test/helpers'

export const BENCH_TOKEN = 'bench-viewer-token'
export const INGEST_TOKEN = 'bench-ingest-token'

export interface BenchApp {
  app: RunningApp
  hub: LiveHub
  /** Where the bench's own hub listens (the app's hub has no subscribers during the bench). */
  hubUrl: string
  close(): Promise<void>
}

/** The real app on `dataDir` (ingest routes included) and a live hub of the bench's own. */
export async function startBenchApp(dataDir: string, tickMs: number): Promise<BenchApp> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    DEMO_SEED: 'off',
    DEMO_FEED: 'off',
    TICK_MS: String(tickMs),
    INGEST_TOKEN,
  })
  const auth = tokenAuth({ [BENCH_TOKEN]: { id: 'bench', name: 'bench', role: 'leader', scope: '511000' } })
  const app = await startApp(config, { auth, rules: false, log: { info() {}, warn() {}, error: (m) => console.error(m) } })
  const { hub, url: hubUrl } = await attachHub(app.ctx, Object.values(dashboards))
  return {
    app,
    hub,
    hubUrl,
    close: async () => {
      await hub.close()
      await app.close()
    },
  }
}

async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as net.AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

export async function postPayments(app: RunningApp, batchId: string, records: unknown[]): Promise<number> {
  const response = await fetch(`${app.url}/api/ingest/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
    body: JSON.stringify({ batchId, records }),
  })
  if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${(await response.text()).slice(0, 300)}`)
  return Date.now()
}
