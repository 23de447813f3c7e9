import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { openTempDb } from '../testing/tempDb'
import type { Db } from '../db/client'
import { startAccessServer, signIn, type AccessServer } from './testing/accessServer'
import { demoUsers, seedDemoUsers } from './bootstrap'
import { listUsers } from './userStore'
import { listDisplayTokens } from './displayTokenStore'
import { findUnmaskedPersonalData } from './mask'

let db: Db & { dataDir: string }
let app: AccessServer

beforeAll(async () => {
  delete process.env.ADMIN_PASSWORD
  db = await openTempDb()
  app = await startAccessServer(db)
})
afterAll(async () => {
  await app?.close()
  await db?.close()
})

const post = (path: string, body: unknown, cookie: string) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: app.url, cookie }, body: JSON.stringify(body) })

describe('first-run admin', () => {
  it('gets a random one-time password printed once, which works and can be changed', async () => {
    const line = app.logs.find((l) => l.includes('one-time password'))!
    const password = /one-time password: (\S+)/.exec(line)![1]
    expect(password).toHaveLength(16)
    const first = await signIn(app.url, 'admin', password)
    const second = await signIn(app.url, 'admin', password)
    expect((await post('/api/auth/password', { currentPassword: 'wrong-password', newPassword: 'a-new-password-1' }, first)).status).toBe(400)
    expect((await post('/api/auth/password', { currentPassword: password, newPassword: 'short' }, first)).status).toBe(400)
    const changed = await post('/api/auth/password', { currentPassword: password, newPassword: 'a-new-password-1' }, first)
    expect(changed.status).toBe(200)
    // Every session signed in with the old password ends; the answer carries a fresh one for this
    // browser, and only the new password signs in.
    const renewed = changed.headers.get('set-cookie')!.split(';')[0]
    expect((await fetch(`${app.url}/api/auth/me`, { headers: { cookie: renewed } })).status).toBe(200)
    expect((await fetch(`${app.url}/api/auth/me`, { headers: { cookie: first } })).status).toBe(401)
    expect((await fetch(`${app.url}/api/auth/me`, { headers: { cookie: second } })).status).toBe(401)
    await expect(signIn(app.url, 'admin', password)).rejects.toThrow(/401/)
    await expect(signIn(app.url, 'admin', 'a-new-password-1')).resolves.toMatch(/^ykt_session=/)
  })

  it('is not created again once users exist', async () => {
    const again = await startAccessServer(db)
    await again.close()
    expect(again.logs.join('\n')).not.toContain('created user admin')
  })
})

describe('seedDemoUsers', () => {
  it('creates one user per role once, and a wall token printed as a ready URL on every demo start', async () => {
    const logs: string[] = []
    const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) }
    await seedDemoUsers({ ...app.ctx, log }, { DEMO_PASSWORD: 'demo-password-1' })
    const users = await listUsers(db)
    for (const demo of demoUsers()) expect(users).toContainEqual(expect.objectContaining({ username: demo.username, role: demo.role, scope: demo.scope }))
    expect(logs.join('\n')).not.toContain('demo-password-1')
    const staff = await signIn(app.url, 'staff-zizhong', 'demo-password-1')
    expect(await (await fetch(`${app.url}/api/auth/me`, { headers: { cookie: staff } })).json()).toMatchObject({ user: { scope: '511025' } })
    const url = logs.find((l) => l.includes('/wall?token='))!
    const token = /\/wall\?token=(\S+)/.exec(url)![1]
    expect(await (await fetch(`${app.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()).toMatchObject({ user: { role: 'wall', scope: '511000' } })

    // A second demo start creates no users again, retires the old wall token and prints a new one.
    logs.length = 0
    await seedDemoUsers({ ...app.ctx, log }, {})
    expect((await listUsers(db)).length).toBe(users.length)
    const live = (await listDisplayTokens(db)).filter((t) => t.label === 'demo-wall' && !t.revoked)
    expect(live).toHaveLength(1)
    const fresh = /\/wall\?token=(\S+)/.exec(logs.find((l) => l.includes('/wall?token='))!)![1]
    expect(fresh).not.toBe(token)
    expect((await fetch(`${app.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)
  })
})

describe('audit log', () => {
  it('is never deleted from, truncated or altered by any code path', () => {
    const root = path.resolve(import.meta.dirname, '../..')
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (['node_modules', '.next', 'data', '.git'].includes(entry.name)) continue
        const full = path.join(dir, entry.name)
        if (entry.isDirectory()) walk(full)
        else if (/\.(ts|tsx|sql|sh|mjs|js)$/.test(entry.name) && !full.endsWith('bootstrap.test.ts')) {
          const text = fs.readFileSync(full, 'utf8')
          if (/(DELETE\s+FROM|TRUNCATE(\s+TABLE)?|DROP\s+TABLE(\s+IF\s+EXISTS)?|ALTER\s+TABLE)\s+[`"]?(\w+\.)?audit_log/i.test(text)) offenders.push(full)
        }
      }
    }
    walk(root)
    expect(offenders).toEqual([])
  })

  it('holds no personal data after all of the above', async () => {
    const result = await db.client.query({ query: 'SELECT * FROM audit_log', format: 'JSONEachRow' })
    const text = JSON.stringify(await result.json())
    expect(text.length).toBeGreaterThan(100)
    expect(findUnmaskedPersonalData(text)).toEqual([])
  })
})
