import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io } from 'socket.io-client'
import { Server as SocketServer } from 'socket.io'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { openTempDb } from '../testing/tempDb'
import type { Db } from '../db/client'
import { startAccessServer, signIn, type AccessServer } from './testing/accessServer'
import { createUser } from './userStore'
import { listAudit } from './auditLog'
import type { Principal } from './principal'

let db: Db & { dataDir: string }
let app: AccessServer
const ADMIN_PASSWORD = 'first-admin-pass-123'
const STAFF = { username: 'staff-zz', password: 'staff-pass-0001' }

beforeAll(async () => {
  db = await openTempDb()
  // Tight limits so the rate-limit test needs few requests; the IP limit stays above the other tests' failures.
  app = await startAccessServer(db, { env: { ADMIN_PASSWORD }, loginLimits: { freePerPair: 3, baseBackoffMs: 30_000, sprayUsers: 50 } })
  await createUser(db, { username: STAFF.username, role: 'staff', scope: '511025', password: STAFF.password })
})
afterAll(async () => {
  await app?.close()
  await db?.close()
})

const post = (path: string, body: unknown, cookie?: string) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    // A browser sends its page's Origin with every POST; cookie-authorised changes require ours.
    headers: { 'content-type': 'application/json', origin: app.url, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  })
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { headers })

describe('first run', () => {
  it('created admin with ADMIN_PASSWORD and never logged it', async () => {
    expect(app.logs.join('\n')).toContain('created user admin')
    expect(app.logs.join('\n')).not.toContain(ADMIN_PASSWORD)
    await expect(signIn(app.url, 'admin', ADMIN_PASSWORD)).resolves.toMatch(/^ykt_session=/)
  })
})

describe('login', () => {
  it('sets an HttpOnly, SameSite=Strict, Path=/ session cookie and /me answers with the principal', async () => {
    const response = await post('/api/auth/login', STAFF)
    expect(response.status).toBe(200)
    const cookie = response.headers.get('set-cookie')!
    expect(cookie).toMatch(/^ykt_session=[A-Za-z0-9_-]{43};/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).toContain('Path=/')
    expect(cookie).not.toContain('Secure')
    const me = await get('/api/auth/me', { cookie: cookie.split(';')[0] })
    expect(await me.json()).toEqual({ user: { id: 'user:staff-zz', name: 'staff-zz', role: 'staff', scope: '511025' } })
  })

  it('marks the cookie Secure behind https', async () => {
    const response = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify(STAFF),
    })
    expect(response.headers.get('set-cookie')).toContain('Secure')
  })

  it('answers a wrong password and an unknown user alike, and audits both', async () => {
    const wrong = await post('/api/auth/login', { username: STAFF.username, password: 'not-the-password' })
    const unknown = await post('/api/auth/login', { username: 'nobody-here', password: 'whatever-123' })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(await wrong.json()).toEqual(await unknown.json())
    const rows = await listAudit(db, { action: 'auth.login' })
    expect(rows.filter((row) => row.outcome === 'failed').map((row) => row.actor)).toEqual(expect.arrayContaining(['staff-zz', 'nobody-here']))
    expect(rows.some((row) => row.outcome === 'ok' && row.actor === 'staff-zz')).toBe(true)
    expect(rows.every((row) => row.ip === '127.0.0.1' || row.ip === '::ffff:127.0.0.1')).toBe(true)
  })

  it('slows a name guessed from one address with 429, even for the right password from there', async () => {
    await createUser(db, { username: 'victim', role: 'leader', scope: '511000', password: 'victim-pass-123' })
    for (let i = 0; i < 3; i++) expect((await post('/api/auth/login', { username: 'victim', password: `guess-${i}-xxxx` })).status).toBe(401)
    const locked = await post('/api/auth/login', { username: 'victim', password: 'victim-pass-123' })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await listAudit(db, { action: 'auth.login', actor: 'victim' }))[0].outcome).toBe('limited')
  })

  it('refuses malformed bodies', async () => {
    expect((await post('/api/auth/login', { username: ['x'], password: 1 })).status).toBe(400)
    const text = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'u=p' })
    expect(text.status).toBe(415)
  })
})

describe('revocation', () => {
  it('refuses a logged-out session at once, over HTTP and on a socket handshake', async () => {
    const cookie = await signIn(app.url, STAFF.username, STAFF.password)
    const token = cookie.split('=')[1]
    expect((await get('/api/auth/me', { cookie })).status).toBe(200)
    expect(await app.ctx.auth.identifySocket({ auth: { token }, headers: {} })).toMatchObject({ role: 'staff' })
    const page = { host: new URL(app.url).host, origin: app.url }
    expect(await app.ctx.auth.identifySocket({ headers: { cookie, ...page } })).toMatchObject({ role: 'staff' })
    expect((await post('/api/auth/logout', {}, cookie)).status).toBe(200)
    expect((await get('/api/auth/me', { cookie })).status).toBe(401)
    expect(await app.ctx.auth.identifySocket({ auth: { token }, headers: {} })).toBeNull()
    expect(await app.ctx.auth.identifySocket({ headers: { cookie, ...page } })).toBeNull()
    expect((await listAudit(db, { action: 'auth.logout', actor: STAFF.username })).length).toBeGreaterThan(0)
  })

  it('ends the sessions of a disabled user at once', async () => {
    await createUser(db, { username: 'leaver', role: 'leader', scope: '511000', password: 'leaver-pass-123' })
    const cookie = await signIn(app.url, 'leaver', 'leaver-pass-123')
    const admin = await signIn(app.url, 'admin', ADMIN_PASSWORD)
    expect((await get('/api/auth/me', { cookie })).status).toBe(200)
    expect((await post('/api/admin/users/leaver/disable', {}, admin)).status).toBe(200)
    expect((await get('/api/auth/me', { cookie })).status).toBe(401)
    expect((await post('/api/auth/login', { username: 'leaver', password: 'leaver-pass-123' })).status).toBe(401)
  })

  it('issues a display token that signs a wall in by bearer and socket, and refuses it once revoked', async () => {
    const admin = await signIn(app.url, 'admin', ADMIN_PASSWORD)
    const issued = await post('/api/admin/tokens', { label: 'hall-screen-1', scope: '511025' }, admin)
    expect(issued.status).toBe(201)
    const { id, token, url } = (await issued.json()) as { id: string; token: string; url: string }
    expect(url).toBe(`/wall?token=${token}`)
    const me = await get('/api/auth/me', { authorization: `Bearer ${token}` })
    expect(await me.json()).toEqual({ user: { id: `display:${id}`, name: 'hall-screen-1', role: 'wall', scope: '511025' } })

    // A real Socket.IO handshake, guarded the way the live hub guards it.
    const httpServer = http.createServer()
    const sockets = new SocketServer(httpServer)
    sockets.use((socket, next) => {
      app.ctx.auth.identifySocket(socket.handshake).then((who) => {
        if (!who) return next(new Error('unauthorized'))
        socket.data.who = who
        next()
      }, next)
    })
    sockets.on('connection', (socket) => socket.emit('hello', socket.data.who as Principal))
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
    const socketUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`
    const connect = () =>
      new Promise<Principal | string>((resolve) => {
        const client = io(socketUrl, { auth: { token }, transports: ['websocket'], reconnection: false })
        client.on('hello', (who: Principal) => (client.close(), resolve(who)))
        client.on('connect_error', (error) => (client.close(), resolve(error.message)))
      })
    try {
      expect(await connect()).toMatchObject({ role: 'wall', scope: '511025' })
      expect((await post(`/api/admin/tokens/${id}/revoke`, {}, admin)).status).toBe(200)
      expect(await connect()).toBe('unauthorized')
      expect((await get('/api/auth/me', { authorization: `Bearer ${token}` })).status).toBe(401)
    } finally {
      sockets.close()
      await new Promise<void>((resolve) => httpServer.close(() => resolve()))
    }
    const actions = (await listAudit(db, { actor: 'admin' })).map((row) => row.action)
    expect(actions).toEqual(expect.arrayContaining(['admin.token.issue', 'admin.token.revoke', 'admin.user.disable']))
  })
})

describe('admin routes', () => {
  it('are 401 without a session and 403 for other roles (audited)', async () => {
    expect((await get('/api/admin/users')).status).toBe(401)
    const staff = await signIn(app.url, STAFF.username, STAFF.password)
    for (const path of ['/api/admin/users', '/api/admin/tokens', '/api/admin/audit']) {
      expect((await get(path, { cookie: staff })).status).toBe(403)
    }
    expect((await post('/api/admin/users', { username: 'x1', role: 'admin', scope: '511000' }, staff)).status).toBe(403)
    expect((await listAudit(db, { action: 'access.denied', actor: STAFF.username })).length).toBeGreaterThanOrEqual(4)
  })

  it('creates a user with a one-time password that can sign in, and lists users without hashes', async () => {
    const admin = await signIn(app.url, 'admin', ADMIN_PASSWORD)
    const created = await post('/api/admin/users', { username: '审核员-1', role: 'supervisor', scope: '511011' }, admin)
    expect(created.status).toBe(201)
    const { password } = (await created.json()) as { password: string }
    expect(password).toHaveLength(16)
    await expect(signIn(app.url, '审核员-1', password)).resolves.toMatch(/^ykt_session=/)
    const listed = await (await get('/api/admin/users', { cookie: admin })).text()
    expect(listed).toContain('审核员-1')
    expect(listed).not.toContain('scrypt')
    expect((await post('/api/admin/users', { username: '审核员-1', role: 'staff', scope: '511011' }, admin)).status).toBe(400)
    expect((await post('/api/admin/users', { username: 'w', role: 'wall', scope: '511000' }, admin)).status).toBe(400)
    expect((await post('/api/admin/users', { username: 'bad-scope', role: 'staff', scope: '110000' }, admin)).status).toBe(400)
  })

  it('rejects injection strings as harmless input', async () => {
    const admin = await signIn(app.url, 'admin', ADMIN_PASSWORD)
    const evil = "x' OR 1=1 --"
    expect((await post('/api/auth/login', { username: evil, password: evil })).status).toBe(401)
    expect((await post('/api/admin/users', { username: evil, role: 'staff', scope: '511025' }, admin)).status).toBe(400)
    expect((await post(`/api/admin/users/${encodeURIComponent(evil)}/disable`, {}, admin)).status).toBe(404)
    expect((await post(`/api/admin/tokens/${encodeURIComponent(evil)}/revoke`, {}, admin)).status).toBe(404)
    const audit = await get(`/api/admin/audit?actor=${encodeURIComponent(evil)}`, { cookie: admin })
    expect(audit.status).toBe(200)
    const { rows } = (await audit.json()) as { rows: Array<{ actor: string }> }
    expect(rows.every((row) => row.actor === evil)).toBe(true)
  })
})
