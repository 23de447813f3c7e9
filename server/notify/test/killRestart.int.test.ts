import { afterAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { makeTempDir, openTempDb } from '../../testing/tempDb'
import { DINGTALK_SECRET, WEBHOOK_SECRET, startHttpReceivers, type HttpReceivers } from '../testing/receivers'
import { until } from '../testing/harness'
import { findSecretsInDb } from '../testing/secretScan'

/**
 * The real server (`server/index.ts`, API only) is killed with SIGKILL three times while it sends
 * 120 flags to a signed DingTalk robot and a signed webhook (real local receivers that answer
 * slowly and now and then "too fast"). Every event must reach every channel, and the outbox must
 * end with one delivered row per event × channel. What a kill can cost is the one message that was
 * on the wire: it is sent again with the same idempotency key (the webhook's receiver drops it by
 * that key), so raw duplicates are at most one per channel per kill and are counted here.
 */
const root = path.resolve(import.meta.dirname, '../../..')
const dataDir = makeTempDir('ykt-notify-kill-')
const FLAGS = 120
const KILLS = 3
let receivers: HttpReceivers
let server: ChildProcess | undefined
/** Everything the server processes printed, to check that no secret reached the log. */
let serverLog = ''
const ROBOT_TOKEN = 'kill-token-7f3a9c'

afterAll(async () => {
  server?.kill('SIGKILL')
  await receivers?.close()
})

function channelsJson(url: string): string {
  return JSON.stringify({ channels: [
    { id: 'kill-dt', type: 'dingtalk', scope: '511000', url: `${url}/dingtalk/kill-dt?access_token=${ROBOT_TOKEN}`, secret: DINGTALK_SECRET },
    { id: 'kill-hook', type: 'webhook', scope: '511000', url: `${url}/webhook/kill-hook`, secret: WEBHOOK_SECRET },
  ] })
}

function env(url: string): NodeJS.ProcessEnv {
  return {
    // outside demo mode the server refuses the demo ingest token: this one is the test's own
    ...process.env, DATA_DIR: dataDir, CLICKHOUSE_URL: '', PORT: '0', HOST: '127.0.0.1', DEMO_SEED: 'off', DEMO_FEED: 'off', INGEST_TOKEN: 'notify-kill-test-ingest-token',
    NOTIFY_CHANNELS: channelsJson(url), NOTIFY_MAX_SINGLES: '10000', NOTIFY_POLL_MS: '50', NOTIFY_RATE_PAUSE_SECONDS: '0.2', NOTIFY_BACKOFF_SECONDS: '0.1',
    FLAGS: String(FLAGS),
  }
}

function startServer(url: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts', '--api-only'], { cwd: root, env: env(url), stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (chunk: Buffer) => (serverLog += chunk.toString('utf8')))
  child.stderr!.on('data', (chunk: Buffer) => (serverLog += chunk.toString('utf8')))
  return child
}

/** Start-up is slow under load (warming the wall's rooms alone took 23 s at load average 40). */
async function waitFor(check: () => boolean, what: string): Promise<void> {
  try {
    await until(check, what, 180_000)
  } catch (error) {
    throw new Error(`${(error as Error).message}; ${receivers.receipts.length} receipts; server log ends:\n${serverLog.slice(-3000)}`)
  }
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())))

describe('exactly once across kill -9', () => {
  it('every event reaches every channel; the outbox ends with one delivered row per event × channel', async () => {
    receivers = await startHttpReceivers({ delayMs: 30, rateLimitEvery: 9, retryAfterSeconds: 0.2 })
    const prepared = spawnSync(process.execPath, ['--import', 'tsx', 'server/notify/testing/prepareOutboxData.ts'], { cwd: root, env: env(receivers.url), encoding: 'utf8', timeout: 60_000 })
    expect(prepared.status, prepared.stderr).toBe(0)

    const distinct = (channel: string) => new Set(receivers.receipts.filter((r) => r.channel === channel).map((r) => r.key)).size
    const total = () => distinct('kill-dt') + distinct('kill-hook')
    for (let kill = 1; kill <= KILLS; kill++) {
      server = startServer(receivers.url)
      const target = Math.round((2 * FLAGS * kill) / (KILLS + 1))
      await waitFor(() => total() >= target, `${target} messages before kill ${kill}`)
      server.kill('SIGKILL')
      await exited(server)
    }
    server = startServer(receivers.url)
    await waitFor(() => distinct('kill-dt') === FLAGS && distinct('kill-hook') === FLAGS, 'every event on both channels')
    await new Promise((resolve) => setTimeout(resolve, 500)) // any late duplicate would show now
    server.kill('SIGTERM')
    await exited(server)
    server = undefined

    for (const channel of ['kill-dt', 'kill-hook']) {
      const raw = receivers.receipts.filter((r) => r.channel === channel)
      const keys = new Set(raw.map((r) => r.key))
      expect(keys.size).toBe(FLAGS)
      expect([...keys].every((key) => /^flag:K\d{5}\|kill-(dt|hook)$/.test(key))).toBe(true)
      // Only the message on the wire at a kill may arrive twice, with the same key.
      expect(raw.length - keys.size, `${channel}: ${raw.length} receipts for ${keys.size} events`).toBeLessThanOrEqual(KILLS)
      // ...and every repeat is such a resend, marked as one (no other path sends anything twice).
      const seen = new Set<string>()
      for (const receipt of raw) {
        if (seen.has(receipt.key)) expect(receipt.text).toContain('重发')
        seen.add(receipt.key)
      }
      console.log(`[kill -9] ${channel}: ${raw.length} receipts, ${keys.size} distinct events, ${raw.length - keys.size} resent after a kill`)
    }
    expect(receivers.refused).toEqual([])
    // ...nor in what the server printed through three kills and a restart (rate limits and resends included).
    expect(serverLog).toContain('notify channel kill-dt: dingtalk http://127.0.0.1')
    for (const secret of [DINGTALK_SECRET, WEBHOOK_SECRET, ROBOT_TOKEN]) expect(serverLog).not.toContain(secret)

    const db = await openTempDb(dataDir)
    try {
      const result = await db.client.query({ query: 'SELECT status, count() AS n, uniqExact(delivery_key) AS keys FROM notify_outbox FINAL GROUP BY status', format: 'JSONEachRow' })
      const rows = (await result.json<{ status: string; n: string; keys: string }>()).map((r) => ({ status: r.status, n: Number(r.n), keys: Number(r.keys) }))
      expect(rows).toEqual([{ status: 'delivered', n: 2 * FLAGS, keys: 2 * FLAGS }])
      // Channel secrets and the robot's token are nowhere in the database in clear; the scan does
      // find what is stored (the channel ids), so an empty answer is not a blind search.
      expect(await findSecretsInDb(db, [DINGTALK_SECRET, WEBHOOK_SECRET, ROBOT_TOKEN])).toEqual([])
      expect((await findSecretsInDb(db, ['kill-hook'])).map((found) => found.place)).toContain('notify_outbox.channel_id')
    } finally {
      await db.close()
    }
  }, 900_000)
})
