import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SERVER_RESTARTING, socketEvents } from '../dashboards/types'
import { startApp, type RunningApp } from './app'
import { paymentBatch } from './ingest/test/fixtures'
import { connect, nextEvent } from './live/test/helpers'
import { tokenAuth } from './testing/tokenAuth'
import { makeTempDir, testConfig } from './testing/tempDb'

const CITY = '511000'
const auth = tokenAuth({ 'wall-token': { id: 'display:1', name: '指挥中心大屏', role: 'wall', scope: CITY } })
const TOKEN = 'notice-test-token-0123'
let app: RunningApp

beforeAll(async () => {
  app = await startApp(testConfig(makeTempDir('ykt-notice-'), { INGEST_TOKEN: TOKEN }), { auth, rules: false })
})
afterAll(() => app?.close().catch(() => {}))

describe('a planned stop', () => {
  it('tells every wall why it disconnects, refuses new ingests with 503 + Retry-After, and answers the one in flight', async () => {
    const post = (batchId: string, from: number, rows = 500) =>
      fetch(`${app.url}/api/ingest/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ batchId, records: paymentBatch(from, rows) }),
      })
    // Warm the ingest workers first: their first load is slow on a loaded machine, and the grace
    // below is about the stop, not about how fast a cold server stores its first batch.
    expect((await post('warm', 1000, 10)).status).toBe(200)

    const socket = await connect(app.url, 'wall-token')
    const notice = nextEvent<{ reason: string }>(socket, socketEvents.closing)
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve))

    const inFlight = post('in-flight', 0)
    // Shut down once the server is working on that batch.
    await expect.poll(async () => (await import('./ingest/ingestGate')).ingestGate.requestsInFlight, { interval: 5 }).toBe(1)
    const stopped = app.shutdown({ graceMs: 10_000 })
    const late = await fetch(`${app.url}/api/ingest/payments`, { method: 'POST' }).catch((error: Error) => error)

    expect((await inFlight).status).toBe(200)
    expect(await stopped).toEqual({ drained: true, inFlight: 1 })
    expect(await notice).toEqual({ reason: SERVER_RESTARTING })
    // Both reasons make the client reconnect (by itself, or by useSocket's retry).
    expect(['io server disconnect', 'transport close']).toContain(await disconnected)
    // Either the listening socket was already closed, or the request was refused as a restart.
    if (!(late instanceof Error)) {
      expect(late.status).toBe(503)
      expect(late.headers.get('retry-after')).toBe('5')
    }
  })
})
