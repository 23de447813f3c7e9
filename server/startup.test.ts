import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeTempDir, openTempDb } from './testing/tempDb'
import { migrate, MigrationError } from './db/migrate'

/** Bad configuration stops start-up with one line saying what is wrong, not a stack trace. */
function start(env: Record<string, string>) {
  const result = spawnSync('npx', ['tsx', 'server/index.ts', '--api-only'], {
    env: { ...process.env, DEMO_SEED: 'off', DEMO_FEED: 'off', PORT: '0', ...env },
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
