import { execSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { startApp, type RunningApp } from '../app'
import { adminCookie } from '../access/testing/accessServer'

describe('the embedded engine behind one client', () => {
  let app: RunningApp
  beforeAll(async () => {
    app = await startApp(testConfig(makeTempDir()))
  })
  afterAll(() => app?.close())

  it('answers /api/health with engine, version, row counts and newest data time (to admins)', async () => {
    const response = await fetch(`${app.url}/api/health`, { headers: { cookie: await adminCookie(app.url, app.ctx.db) } })
    expect(response.status).toBe(200)
    const health = await response.json()
    expect(health.engine).toBe('chdb')
    expect(health.version).toMatch(/^2\d\.\d+/)
    expect(health.rows.payment_detail).toBe(0)
    expect(health.newestDataTime).toBeNull()
  })

  it('takes values only as parameters', async () => {
    const result = await app.ctx.db.client.query({
      query: 'SELECT {text:String} AS text, {n:UInt32} + 1 AS next',
      query_params: { text: "'; DROP TABLE payment_detail; --", n: 41 },
      format: 'JSONEachRow',
    })
    expect(await result.json()).toEqual([{ text: "'; DROP TABLE payment_detail; --", next: 42 }])
  })

  // Through chdb/connection a request's clickhouse_settings stay set on the whole session. A
  // SETTINGS clause inside the SQL is scoped to its query: this test fails if that ever changes.
  it('keeps a query-scoped setting from leaking into later queries', async () => {
    const limited = await app.ctx.db.client.query({ query: 'SELECT number FROM numbers(1) SETTINGS max_result_rows = 1', format: 'JSONEachRow' })
    expect(await limited.json()).toHaveLength(1)
    const later = await app.ctx.db.client.query({ query: 'SELECT number FROM numbers(5)', format: 'JSONEachRow' })
    expect(await later.json()).toHaveLength(5)
  })

  it('is never given session-wide clickhouse_settings anywhere in the code', () => {
    const hits = execSync("git grep -n 'clickhouse_settings' -- '*.ts' ':!**/*.test.ts' || true", { encoding: 'utf8' })
    // Lines of comments (`//`, ` * `) may name it to warn about it; code may not use it.
    expect(hits.split('\n').filter((line) => line && !/^[^:]+:\d+:\s*(\/\/|\*|\/\*)/.test(line))).toEqual([])
  })
})
