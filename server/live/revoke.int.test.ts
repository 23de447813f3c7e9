import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { startApp, type RunningApp } from '../app'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { issueDisplayToken, revokeDisplayToken } from '../access/displayTokenStore'

/** A revoked wall token ends the wall's open socket within a heartbeat, and its reconnect is refused. */
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

    const dropped = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)))
    await revokeDisplayToken(app.ctx.db, id)
    const started = Date.now()
    expect(await dropped).toBe('io server disconnect')
    expect(Date.now() - started).toBeLessThan(7_000)

    const again = connect(token)
    const refused = await new Promise<string>((resolve) => {
      again.once('connect', () => resolve('connected'))
      again.once('connect_error', (error) => resolve(error.message))
    })
    again.close()
    expect(refused).toBe('unauthorized')
  })
})
