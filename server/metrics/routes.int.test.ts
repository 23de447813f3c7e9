import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTempDb } from '../testing/tempDb'
import { Router } from '../http/router'
import { createUser } from '../access/userStore'
import { signIn, startAccessServer, type AccessServer } from '../access/testing/accessServer'
import { registerMetricRoutes } from './routes'
import { C1, C2, loadFixture } from './test/fixture'

describe('GET /api/metrics/:name (review filters)', () => {
  let server: AccessServer
  let leader: string
  let staff: string
  beforeAll(async () => {
    const db = await openTempDb()
    await loadFixture(db)
    server = await startAccessServer(db, { register: (router: Router) => registerMetricRoutes(router) })
    await createUser(db, { username: 'lead', role: 'leader', scope: '511000', password: 'lead-password-1' })
    await createUser(db, { username: 'east', role: 'staff', scope: C2, password: 'east-password-1' })
    leader = await signIn(server.url, 'lead', 'lead-password-1')
    staff = await signIn(server.url, 'east', 'east-password-1')
  })
  afterAll(() => server?.close())

  const get = (path: string, cookie?: string) => fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : {} })

  it('answers a metric for the caller, with the year filter mapped onto its months', async () => {
    const all = await (await get('/api/metrics/payments.total?region=511000', leader)).json()
    const in2024 = await (await get('/api/metrics/payments.total?region=511000&year=2024', leader)).json()
    const in2023 = await (await get('/api/metrics/payments.total?region=511000&year=2023', leader)).json()
    expect(all.data.kind).toBe('value')
    expect(all.data.value).toBeGreaterThan(0)
    expect(in2024.data.value).toBe(all.data.value)
    expect(in2023.data.value).toBe(0)
    expect(in2024.params).toMatchObject({ from: '202401', to: '202412' })
  })

  it('filters by project', async () => {
    const p01 = await (await get('/api/metrics/payments.total?region=511000&project=P01', leader)).json()
    const p20 = await (await get('/api/metrics/payments.total?region=511000&project=P20', leader)).json()
    const all = await (await get('/api/metrics/payments.total?region=511000', leader)).json()
    expect(p01.data.value + p20.data.value).toBe(all.data.value)
    expect(p01.data.value).toBeGreaterThan(0)
  })

  it('says which valid filters a metric does not follow, and refuses invalid values naming the field', async () => {
    const open = await get(`/api/metrics/flags.open?region=511000&dept=${encodeURIComponent('民政')}&year=2024`, leader)
    expect(open.status).toBe(200)
    expect(await open.json()).toMatchObject({ applied: [], ignored: ['year', 'dept'] })
    const total = await (await get(`/api/metrics/payments.total?region=511000&dept=${encodeURIComponent('民政')}&project=P01`, leader)).json()
    expect(total).toMatchObject({ applied: ['project', 'dept'], ignored: [] })
    // The review page once sent the project's name: a name is not a code, and says so.
    const byName = await get(`/api/metrics/payments.total?region=511000&project=${encodeURIComponent('城乡居民基础养老金')}`, leader)
    expect(byName.status).toBe(400)
    expect((await byName.json()).error).toMatch(/^project: unknown project code/)
    expect((await get(`/api/metrics/payments.total?region=511000&dept=nobody`, leader)).status).toBe(400)
    expect((await get(`/api/metrics/payments.total?region=511000&year=24`, leader)).status).toBe(400)
  })

  it('keeps staff inside their scope and needs a sign-in', async () => {
    expect((await get(`/api/metrics/payments.total?region=${C1}`, staff)).status).toBe(403)
    const own = await get('/api/metrics/payments.total', staff)
    expect(own.status).toBe(200)
    expect((await own.json()).params.region).toBe(C2)
    expect((await get('/api/metrics/payments.total')).status).toBe(401)
    expect((await get('/api/metrics/no.such.metric', leader)).status).toBe(404)
    expect((await get("/api/metrics/payments.total?region=511000'%20OR%201=1", leader)).status).toBe(400)
  })
})
