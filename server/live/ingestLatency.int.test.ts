import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { startApp, type RunningApp } from '../app'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { issueDisplayToken } from '../access/displayTokenStore'
import { adminCookie as signInAdmin } from '../testing/adminSession'
import { paymentFixture, placeOf } from '../ingest/test/fixtures'

/**
 * /api/health live.ingestToScreenMs through the real server: wall screens (display token) on three
 * rooms, one payments batch in one county. The batch changes the city's room and its county's,
 * not the other county's: two samples, one per room it changed (the first room to push does not
 * stand in for the other).
 */
const quiet = { info() {}, warn() {}, error() {} }
let app: RunningApp
let token: string
/** health's live figures are for administrators */
let adminCookie: string
const sockets: Socket[] = []

beforeAll(async () => {
  app = await startApp(testConfig(makeTempDir('ykt-ingest-latency-')), { log: quiet, rules: false })
  token = (await issueDisplayToken(app.ctx.db, { label: 'test-wall', scope: '511000', createdBy: 'test' })).token
  adminCookie = await signInAdmin(app)
})

afterAll(async () => {
  for (const socket of sockets) socket.close()
  await app?.close()
})

async function screen(dashboard: string, region: string): Promise<void> {
  const socket = io(app.url, { path: '/socket.io', auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false })
  sockets.push(socket)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('connect_error', reject)
  })
  const ack = await socket.timeout(30_000).emitWithAck('subscribe', { dashboard, region })
  expect(ack.ok).toBe(true)
}

async function latency(): Promise<{ count: number; unshown: number }> {
  const health = await (await fetch(`${app.url}/api/health`, { headers: { cookie: adminCookie } })).json()
  return health.live.ingestToScreenMs
}

describe('health: ingest → screen per room the batch changed', () => {
  it('takes one sample for each watched room the batch changed, none for a room it did not', async () => {
    const place = placeOf(1)
    const otherCounty = ['511011', '511024', '511025', '511083', '511002'].find((code) => code !== place.county_code)!
    await screen('payments', '511000')
    await screen('payments', place.county_code)
    await screen('payments', otherCounty)
    const before = await latency()
    const response = await fetch(`${app.url}/api/ingest/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.ctx.config.INGEST_TOKEN}` },
      body: JSON.stringify({ batchId: 'latency-1', records: [paymentFixture(1, { ...place, pay_time: '2024-05-20 10:15:00' })] }),
    })
    expect(response.status).toBe(200)
    const until = Date.now() + 15_000
    while ((await latency()).count < before.count + 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100))
    await new Promise((resolve) => setTimeout(resolve, 1000)) // ticks enough for a third room, were it counted
    const after = await latency()
    expect(after.count - before.count).toBe(2)
    expect(after.unshown).toBe(0)
  })
})
