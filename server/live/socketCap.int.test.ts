import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { startApp, type RunningApp } from '../app'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { issueDisplayToken } from '../access/displayTokenStore'
import { adminCookie as signInAdmin } from '../testing/adminSession'
import { paymentFixture, placeOf } from '../ingest/test/fixtures'
import { SOCKETS_FULL } from '../../dashboards/liveContract'

/**
 * The socket cap (SOCKET_CAP, here 3): sockets past it are refused with the reason the wall shows
 * and a retry hint, a slot freed by a leaving socket is taken by the next, and ingest answers 200
 * throughout (the cap exists so sockets never take the descriptors ingest and the engine need).
 */
const CAP = 3
const quiet = { info() {}, warn() {}, error() {} }
let app: RunningApp
let token: string
const opened: Socket[] = []

beforeAll(async () => {
  app = await startApp(testConfig(makeTempDir('ykt-socket-cap-'), { SOCKET_CAP: String(CAP) }), { log: quiet, rules: false })
  token = (await issueDisplayToken(app.ctx.db, { label: 'cap-wall', scope: '511000', createdBy: 'test' })).token
})

afterAll(async () => {
  for (const socket of opened) socket.close()
  await app?.close()
})

type Outcome = { socket: Socket; connected: true } | { socket: Socket; connected: false; message: string; data: unknown }

function open(): Promise<Outcome> {
  const socket = io(app.url, { path: '/socket.io', auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false })
  opened.push(socket)
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, connected: true }))
    socket.once('connect_error', (error: Error & { data?: unknown }) => resolve({ socket, connected: false, message: error.message, data: error.data }))
  })
}

async function ingest(batchId: string, n: number): Promise<number> {
  const response = await fetch(`${app.url}/api/ingest/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.ctx.config.INGEST_TOKEN}` },
    body: JSON.stringify({ batchId, records: [paymentFixture(n, { ...placeOf(n), pay_time: '2024-05-20 10:15:00' })] }),
  })
  await response.body?.cancel()
  return response.status
}

describe('socket cap', () => {
  it('refuses sockets past the cap with the reason and a retry hint, while ingest answers 200', async () => {
    // all at once: admission must not overshoot when handshakes race
    const outcomes = await Promise.all(Array.from({ length: CAP + 4 }, () => open()))
    const connected = outcomes.filter((o) => o.connected)
    const refused = outcomes.filter((o): o is Extract<Outcome, { connected: false }> => !o.connected)
    expect(connected).toHaveLength(CAP)
    expect(refused).toHaveLength(4)
    for (const r of refused) {
      expect(r.message).toBe(SOCKETS_FULL)
      expect(r.data).toEqual({ code: 'sockets-full', retryAfterMs: expect.any(Number) })
    }
    // the held sockets still work: a subscription is answered
    const ack = await connected[0].socket.timeout(30_000).emitWithAck('subscribe', { dashboard: 'overview', region: '511000' })
    expect(ack.ok).toBe(true)

    expect(await ingest('cap-1', 1)).toBe(200)

    const cookie = await signInAdmin(app)
    const health = await (await fetch(`${app.url}/api/health`, { headers: { cookie } })).json()
    expect(health.live.sockets).toEqual({ connected: CAP, cap: CAP, refused: 4 })
  })

  it('gives a freed slot to the next socket, and still refuses past the cap', async () => {
    const held = opened.filter((socket) => socket.connected)
    expect(held).toHaveLength(CAP)
    held[0].close()
    // the server sees the close a moment later: retry like the wall does, until admitted
    let next: Outcome = await open()
    for (let attempt = 0; !next.connected && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      next = await open()
    }
    expect(next.connected).toBe(true)
    const extra = await open()
    expect(extra).toMatchObject({ connected: false, message: SOCKETS_FULL })
    expect(await ingest('cap-2', 2)).toBe(200)
  })
})
