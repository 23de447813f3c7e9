import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { makeTempDir, openTempDb } from '../testing/tempDb'
import type { Db } from '../db/client'
import { startAccessServer, signIn, type AccessServer } from './testing/accessServer'
import { listAudit } from './auditLog'

// The CLI opens chDB itself, so it runs in child processes on a directory this process opens only
// afterwards (chDB binds one directory per process).
const dataDir = makeTempDir('ykt-cli-')
const root = path.resolve(import.meta.dirname, '../..')

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, CLICKHOUSE_URL: '' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

let db: (Db & { dataDir: string }) | undefined
let app: AccessServer | undefined
afterAll(async () => {
  await app?.close()
  await db?.close()
})

describe('scripts/admin.ts', () => {
  it('creates a user and a display token that work on the server, and audits both', async () => {
    const added = cli('user:add', 'cli-staff', '--role', 'staff', '--scope', '511025')
    expect(added.code, added.err).toBe(0)
    const password = /password \(shown once\): (\S+)/.exec(added.out)![1]
    const issued = cli('token:issue', 'cli-wall', '--scope', '511002')
    expect(issued.code, issued.err).toBe(0)
    const token = /\/wall\?token=(\S+)/.exec(issued.out)![1]
    expect(cli('user:add', 'bad', '--role', 'wall', '--scope', '511025').code).toBe(2)
    expect(cli('frobnicate').code).toBe(2)

    db = await openTempDb(dataDir)
    app = await startAccessServer(db)
    const cookie = await signIn(app.url, 'cli-staff', password)
    const me = await fetch(`${app.url}/api/auth/me`, { headers: { cookie } })
    expect(await me.json()).toMatchObject({ user: { name: 'cli-staff', role: 'staff', scope: '511025' } })
    const wall = await fetch(`${app.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(await wall.json()).toMatchObject({ user: { name: 'cli-wall', role: 'wall', scope: '511002' } })
    // A user made by the CLI means no first-run admin is created.
    expect(app.logs.join('\n')).not.toContain('created user admin')
    const actions = (await listAudit(db)).filter((row) => row.actor.startsWith('cli:')).map((row) => row.action)
    expect(actions).toEqual(expect.arrayContaining(['admin.user.create', 'admin.token.issue']))
  })

  it('says clearly that the server holds the data directory', () => {
    const held = cli('user:list')
    expect(held.code).toBe(3)
    expect(held.err).toContain('stop the server first')
  })
})
