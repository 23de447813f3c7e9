import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeTempDir, openTempDb } from './testing/tempDb'
import { migrate, MigrationError } from './db/migrate'

/** Bad configuration stops start-up with one line saying what is wrong, not a stack trace. */
function start(env: Record<string, string>) {
  const result = spawnSync('npx', ['tsx', 'server/index.ts', '--api-only'], {
    env: { ...process.env, DEMO_SEED: 'off', DEMO_FEED: 'off', PORT: '0', INGEST_TOKEN: 'startup-test-ingest-token', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  const lines = result.stderr.trim().split('\n').filter(Boolean)
  return { status: result.status, lines }
}

describe('start-up errors', () => {
  it('refuses a DATA_DIR that is not a directory', () => {
    const file = path.join(makeTempDir(), 'a-file')
    fs.writeFileSync(file, '')
    const { status, lines } = start({ DATA_DIR: path.join(file, 'data') })
    expect(status).toBe(1)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^\[ykt\] cannot start: DATA_DIR .* is not a readable, writable directory/)
  })

  it('refuses an unreachable CLICKHOUSE_URL', () => {
    const { status, lines } = start({ CLICKHOUSE_URL: 'http://127.0.0.1:9', CLICKHOUSE_PASSWORD: 'secret-pw' })
    expect(status).toBe(1)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/cannot open ClickHouse at http:\/\/127\.0\.0\.1:9\/: connect ECONNREFUSED/)
    expect(lines[0]).not.toContain('secret-pw')
  })

  // Two start-ups of up to 60 s each (tsx compiles the server first; 30 s apiece at load 40).
  it('refuses a missing or demo INGEST_TOKEN outside demo mode', () => {
    for (const token of ['', 'demo-ingest-token']) {
      const { status, lines } = start({ INGEST_TOKEN: token })
      expect(status).toBe(1)
      expect(lines).toEqual(['[ykt] cannot start: INGEST_TOKEN must be set to a secret of your own when DEMO_SEED=off (the demo token is public)'])
    }
  }, 150_000)

  it('names a bad environment variable', () => {
    const { status, lines } = start({ PORT: 'abc' })
    expect(status).toBe(1)
    expect(lines).toEqual([expect.stringMatching(/^\[ykt\] cannot start: invalid environment variable PORT/)])
  })
})

describe('a failing migration', () => {
  const dir = makeTempDir()
  let close: () => Promise<void> = async () => {}
  afterAll(() => close())

  it('stops with the migration named and records nothing of it', async () => {
    const db = await openTempDb(dir)
    close = () => db.close()
    const broken = [{ version: 999, name: '999_broken', statements: ['CREATE TABLE broken (x UInt8) ENGINE = NoSuchEngine'] }]
    await expect(migrate(db, broken)).rejects.toThrow(MigrationError)
    await expect(migrate(db, broken)).rejects.toThrow(/999_broken/)
    const recorded = await db.client.query({ query: "SELECT count() AS n FROM schema_migrations WHERE name = '999_broken'", format: 'JSONEachRow' })
    expect((await recorded.json<{ n: number | string }>()).map((row) => Number(row.n))).toEqual([0])
  })
})

/** `npm start` on an empty data directory, as a new user meets it (pages left out for speed). */
describe('a first demo start', () => {
  const dir = makeTempDir()
  const child = spawn('npx', ['tsx', 'server/index.ts', '--api-only'], {
    env: { ...process.env, DATA_DIR: dir, PORT: '0', DEMO_SEED: 'auto', DEMO_SCALE: '3000', DEMO_FEED: 'off', ADMIN_PASSWORD: '', DEMO_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  afterAll(() => {
    child.kill('SIGTERM')
  })

  it('seeds, prints the admin, the demo users and the wall, and reports chdb with rows', async () => {
    const until = Date.now() + 100_000
    while (!/wall on http:\/\/localhost:(\d+)/.test(output)) {
      if (Date.now() > until || child.exitCode !== null) throw new Error(`server did not come up:\n${output.slice(-2000)}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    const url = `http://127.0.0.1:${/wall on http:\/\/localhost:(\d+)/.exec(output)![1]}`
    const admin = /first run: created user admin, one-time password: (\S+)/.exec(output)
    expect(admin, 'the first admin and its one-time password are printed').not.toBeNull()
    for (const name of ['leader', 'staff-zizhong', 'staff-town', 'supervisor']) expect(output).toContain(`demo user ${name} `)
    expect(output).toMatch(/demo wall: http:\/\/localhost:\d+\/wall\?token=\S+/)
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: admin![1] }),
    })
    expect(login.status).toBe(200)
    const cookie = login.headers.get('set-cookie')!.split(';')[0]
    const health = await (await fetch(`${url}/api/health`, { headers: { cookie } })).json()
    expect(health.engine).toBe('chdb')
    expect(health.rows.payment_detail).toBeGreaterThan(0)
  }, 120_000)
})
