import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadConfig } from './config'

/** Docker does not run on the development machines, so the compose file is checked, not run. */
describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync('docker-compose.yml', 'utf8'))

  it('runs ClickHouse server with a volume and a healthcheck', () => {
    const clickhouse = compose.services.clickhouse
    expect(clickhouse.image).toMatch(/^clickhouse\/clickhouse-server:\d+\.\d+/)
    expect(clickhouse.volumes.some((v: string) => v.endsWith(':/var/lib/clickhouse'))).toBe(true)
    expect(Object.keys(compose.volumes)).toContain(clickhouse.volumes[0].split(':')[0])
    expect(clickhouse.healthcheck.test.join(' ')).toContain('/ping')
  })

  it('starts the wall only after ClickHouse is healthy, pointed at it by CLICKHOUSE_URL', () => {
    const wall = compose.services.wall
    expect(wall.depends_on.clickhouse.condition).toBe('service_healthy')
    expect(wall.environment.CLICKHOUSE_URL).toBe('http://clickhouse:8123')
    expect(wall.environment.CLICKHOUSE_DATABASE).toBe(compose.services.clickhouse.environment.CLICKHOUSE_DB)
    expect(fs.existsSync(wall.build === '.' ? 'Dockerfile' : `${wall.build}/Dockerfile`)).toBe(true)
  })

  it('names only environment variables the server understands, with no secret written in', () => {
    const wall = compose.services.wall
    const env: Record<string, string> = wall.environment
    for (const [name, value] of Object.entries(env)) {
      if (/PASSWORD|TOKEN/.test(name)) expect(value, name).toMatch(/^\$\{[A-Z_]+:\?/)
    }
    // ${NAME:-default} takes its default; ${NAME:?message} must come from the operator.
    const resolve = (value: string) => /^\$\{[A-Z_]+:-(.*)\}$/.exec(value)?.[1] ?? (value.startsWith('${') ? 'x'.repeat(12) : value)
    const sample = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, resolve(v)]))
    const config = loadConfig(sample)
    expect(config.CLICKHOUSE_URL).toBe('http://clickhouse:8123')
    const known = new Set(Object.keys(config).map((k) => k))
    for (const name of Object.keys(env)) if (name !== 'ADMIN_PASSWORD') expect(known.has(name), name).toBe(true)
  })
})
