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

  /** A wall socket of a fresh token, subscribed; its token id and when (and why) it was dropped. */
  async function openWall(label: string): Promise<{ id: string; token: string; socket: Socket; dropped: Promise<{ reason: string; at: number }> }> {
    const { id, token } = await issueDisplayToken(app.ctx.db, { label, scope: '511000', createdBy: 'test' })
    const socket = connect(token)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('connect_error', reject)
    })
    const ack = await socket.timeout(20_000).emitWithAck('subscribe', { dashboard: 'overview', region: '511000' })
    expect(ack.ok).toBe(true)
    const dropped = new Promise<{ reason: string; at: number }>((resolve) => socket.once('disconnect', (reason) => resolve({ reason, at: Date.now() })))
    return { id, token, socket, dropped }
  }

  it('disconnects the open socket within 1 s and refuses the next handshake', async () => {
    // Three walls revoked one after another: the hub's 5 s heartbeat sweep might happen to fall
    // within a second of one revocation, not of all three.
    for (const label of ['lobby', 'hall', 'office']) {
      const wall = await openWall(label)
      await revokeDisplayToken(app.ctx.db, wall.id)
      // The revocation is stored once revokeDisplayToken returns; the socket may already be gone.
      const revokedAt = Date.now()
      const { reason, at } = await wall.dropped
      expect(reason, label).toBe('io server disconnect')
      expect(at - revokedAt, label).toBeLessThan(1_000)

      const again = connect(wall.token)
      const refused = await new Promise<string>((resolve) => {
        again.once('connect', () => resolve('connected'))
        again.once('connect_error', (error) => resolve(error.message))
      })
      again.close()
      expect(refused, label).toBe('unauthorized')
    }
  }, 240_000)
})
