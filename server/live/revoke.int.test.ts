import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { startApp, type RunningApp } from '../app'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { issueDisplayToken, revokeDisplayToken } from '../access/displayTokenStore'

/**
 * A revoked wall token ends the wall's open socket within a second of the revocation (not at the
 * next 5 s heartbeat: the outside test saw screens stream for up to 4 s), and its reconnect is refused.
 */
describe('revoking a display token with the wall connected', () => {
  let app: RunningApp
  beforeAll(async () => {
    app = await startApp(testConfig(makeTempDir()), { rules: false })
  })
  afterAll(() => app?.close())

  const connect = (token: string): Socket => io(app.url, { auth: { token }, transports: ['websocket'], reconnection: false })

  it('disconnects the open socket and refuses the next handshake', async () => {
    const { id, token } = await issueDisplayToken(app.ctx.db, { label: 'lobby', scope: '511000', createdBy: 'test' })
    const socket = connect(token)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('connect_error', reject)
    })
    const ack = await socket.timeout(20_000).emitWithAck('subscribe', { dashboard: 'overview', region: '511000' })
    expect(ack.ok).toBe(true)

    const dropped = new Promise<{ reason: string; at: number }>((resolve) => socket.once('disconnect', (reason) => resolve({ reason, at: Date.now() })))
    await revokeDisplayToken(app.ctx.db, id)
    // The revocation is stored once revokeDisplayToken returns; the socket may already be gone.
    const revokedAt = Date.now()
    const { reason, at } = await dropped
    expect(reason).toBe('io server disconnect')
    expect(at - revokedAt).toBeLessThan(1_000)

    const again = connect(token)
    const refused = await new Promise<string>((resolve) => {
      again.once('connect', () => resolve('connected'))
      again.once('connect_error', (error) => resolve(error.message))
    })
    again.close()
    expect(refused).toBe('unauthorized')
  })
})
