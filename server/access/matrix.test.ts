import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { childrenOf } from '../../geo/regions'
import { THEME_IDS, socketEvents } from '../../dashboards/types'
import http from 'node:http'
import { startApp, type RunningApp } from '../app'
import { registerParts } from '../parts'
import { Router, type Handler } from '../http/router'
import { registerHealthRoutes } from '../http/healthRoutes'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { createUser } from './userStore'
import { issueDisplayToken } from './displayTokenStore'
import { findUnmaskedPersonalData } from './mask'
import type { Role } from './principal'
import { fixtureRows, insertFixtureRows, type FixtureRow } from '../records/testing/paymentFixtures'
import { RECORD_ROLES, REVEAL_ROLES } from '../records/routes'

/**
 * Every role × every registered route and every live theme, on the fully wired server: who gets
 * 401/403, whether a county or town user can reach outside their scope, and a scan of every HTTP
 * body and socket frame for unmasked 身份证号, phones and card numbers.
 */
interface Caller {
  name: string
  role: Role | 'anonymous'
  scope?: string
  headers: Record<string, string>
  socketAuth?: { token: string }
}

const PASSWORD = 'matrix-test-password'
const [townA] = childrenOf('511025')
const OTHER_COUNTY = '511002'

/** Routes anyone may call (the rest must answer 401 to an anonymous caller). */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/logout'])
/** Routes a wall screen may call; every other route must refuse it. */
const WALL_ALLOWED = new Set([...PUBLIC, 'GET /api/auth/me'])
/** Roles this part grants; other parts' routes are checked only by the generic rules. */
const USERS: readonly Role[] = ['leader', 'staff', 'supervisor', 'admin']
const POLICY: Record<string, readonly Role[]> = {
  'GET /api/auth/me': ['wall', ...USERS],
  'POST /api/auth/password': USERS,
  'GET /api/admin/users': ['admin'],
  'POST /api/admin/users': ['admin'],
  'POST /api/admin/users/:name/disable': ['admin'],
  'GET /api/admin/tokens': ['admin'],
  'POST /api/admin/tokens': ['admin'],
  'POST /api/admin/tokens/:id/revoke': ['admin'],
  'GET /api/admin/audit': ['admin'],
  'GET /api/records': RECORD_ROLES,
  'GET /api/records/export.csv': RECORD_ROLES,
  'POST /api/reveal': REVEAL_ROLES,
}
/** The one route whose purpose is to return a personal field unmasked (supervisor, with a reason). */
const REVEALS = 'POST /api/reveal'
/** Values for path parameters: harmless, and not naming anything that exists. */
const PATH_VALUES: Record<string, string> = { feed: 'payments', kind: 'region', name: 'no-such-user', id: 'no-such-id' }

let app: RunningApp
let rows: FixtureRow[]
const callers: Caller[] = []
const seen: Array<{ where: string; text: string }> = []

/**
 * Every route the server registers: the parts are registered a second time, on a router that
 * writes down what it is given (same code path as startApp, so a new part's routes are included).
 */
class RecordingRouter extends Router {
  readonly recorded: Array<{ method: string; path: string }> = []
  override on(method: string, path: string, handler: Handler): this {
    this.recorded.push({ method, path })
    return super.on(method, path, handler)
  }
}

let registered: Array<{ method: string; path: string }> = []

async function recordRoutes(running: RunningApp): Promise<Array<{ method: string; path: string }>> {
  const router = new RecordingRouter()
  registerHealthRoutes(router)
  const idle = http.createServer()
  const closers = await registerParts({ ...running.ctx, onIngest: [], healthExtras: [] }, router, idle, { rules: false })
  for (const close of closers) await close()
  idle.close()
  return router.recorded
}

const listRoutes = (_running: RunningApp) => registered

beforeAll(async () => {
  process.env.ADMIN_PASSWORD = PASSWORD
  app = await startApp(testConfig(makeTempDir('ykt-matrix-')), { withPages: false })
  const { db } = app.ctx
  rows = fixtureRows(3)
  await insertFixtureRows(db, rows)
  const people = [
    ['leader', 'leader', '511000'],
    ['staff-zz', 'staff', '511025'],
    ['staff-town', 'staff', townA.code],
    ['supervisor', 'supervisor', '511000'],
  ] as const
  for (const [username, role, scope] of people) await createUser(db, { username, role, scope, password: PASSWORD })
  callers.push({ name: 'anonymous', role: 'anonymous', headers: {} })
  for (const [label, scope] of [['wall-city', '511000'], ['wall-zz', '511025']] as const) {
    const { token } = await issueDisplayToken(db, { label, scope, createdBy: 'matrix' })
    callers.push({ name: label, role: 'wall', scope, headers: { authorization: `Bearer ${token}` }, socketAuth: { token } })
  }
  for (const [username, role, scope] of [...people, ['admin', 'admin', '511000'] as const]) {
    const response = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    })
    expect(response.status, `sign-in of ${username}`).toBe(200)
    const cookie = response.headers.get('set-cookie')!.split(';')[0]
    callers.push({ name: username, role, scope, headers: { cookie } })
  }
  registered = await recordRoutes(app)
}, 180_000)

afterAll(async () => {
  await app?.close()
  delete process.env.ADMIN_PASSWORD
})

async function call(caller: Caller, method: string, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...caller.headers, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    body: method === 'GET' ? undefined : '{}',
  })
  const text = await response.text()
  seen.push({ where: `${caller.name} ${method} ${path} → ${response.status}`, text })
  return { status: response.status, text }
}

describe('HTTP matrix', () => {
  it('answers every role on every route as the policy says, and never with a server fault', async () => {
    const routes = listRoutes(app)
    expect(routes.length).toBeGreaterThan(10)
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(Object.keys(POLICY)))
    const problems: string[] = []
    for (const route of routes) {
      const key = `${route.method} ${route.path}`
      // Logging out would end the callers' sessions for the routes after it; it is public anyway.
      if (key === 'POST /api/auth/logout') continue
      const path = route.path.replace(/:([a-zA-Z]+)/g, (_, name: string) => PATH_VALUES[name] ?? 'x')
      for (const caller of callers) {
        const { status } = await call(caller, route.method, path)
        const where = `${caller.name} ${key} → ${status}`
        if (status >= 500) problems.push(`${where}: server fault`)
        if (caller.role === 'anonymous' && !PUBLIC.has(key) && status !== 401) problems.push(`${where}: anonymous not refused with 401`)
        if (caller.role === 'wall' && !WALL_ALLOWED.has(key) && status !== 401 && status !== 403) problems.push(`${where}: wall screen not refused`)
        const allowed = POLICY[key]
        if (allowed && caller.role !== 'anonymous') {
          const refused = status === 401 || status === 403
          if (allowed.includes(caller.role) === refused) problems.push(`${where}: expected ${allowed.includes(caller.role) ? 'access' : '403'}`)
        }
      }
    }
    expect(problems).toEqual([])
  })

  it('keeps county and town users inside their scope on every GET route', async () => {
    const outside = rows.filter((row) => row.county_code === OTHER_COUNTY)
    const markers = outside.flatMap((row) => [row.detail_id, `H-${row.detail_id}`, row.village_code])
    const problems: string[] = []
    for (const route of listRoutes(app).filter((r) => r.method === 'GET' && !r.path.includes(':'))) {
      for (const caller of callers.filter((c) => c.name === 'staff-zz' || c.name === 'staff-town' || c.name === 'wall-zz')) {
        for (const forged of [OTHER_COUNTY, outside[0].town_code, outside[0].village_code, "511025' OR 1=1 --"]) {
          const { status, text } = await call(caller, 'GET', `${route.path}?region=${encodeURIComponent(forged)}&county=${OTHER_COUNTY}&village=${outside[0].village_code}`)
          if (status >= 500) problems.push(`${caller.name} ${route.path} region=${forged} → ${status}`)
          if (status === 200 && markers.some((marker) => text.includes(marker))) problems.push(`${caller.name} ${route.path} region=${forged}: data of ${OTHER_COUNTY} returned`)
        }
      }
    }
    expect(problems).toEqual([])
  })

  it('returns records to reviewers (so the scan below has data to look at)', async () => {
    const leader = callers.find((c) => c.name === 'leader')!
    const { status, text } = await call(leader, 'GET', '/api/records?pageSize=100')
    expect(status).toBe(200)
    expect(JSON.parse(text).total).toBe(rows.length)
    const supervisor = callers.find((c) => c.name === 'supervisor')!
    const reveal = await fetch(`${app.url}/api/reveal`, {
      method: 'POST',
      headers: { ...supervisor.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ detailId: rows[0].detail_id, field: 'phone', reason: '矩阵测试核查' }),
    })
    expect(await reveal.json()).toMatchObject({ value: rows[0].phone })
  })
})

describe('socket matrix', () => {
  function connect(caller: Caller): Promise<Socket | string> {
    return new Promise((resolve) => {
      const socket = io(app.url, {
        transports: ['websocket'],
        reconnection: false,
        auth: caller.socketAuth ?? {},
        extraHeaders: caller.headers.cookie ? { cookie: caller.headers.cookie } : {},
      })
      socket.onAny((event: string, payload: unknown) => seen.push({ where: `${caller.name} socket ${event}`, text: JSON.stringify(payload) }))
      socket.on('connect', () => resolve(socket))
      socket.on('connect_error', (error) => (socket.close(), resolve(error.message)))
    })
  }

  it('refuses anonymous sockets and limits every subscription to the caller scope', async () => {
    const problems: string[] = []
    let accepted = 0
    for (const caller of callers) {
      const socket = await connect(caller)
      if (caller.role === 'anonymous') {
        if (typeof socket !== 'string') (socket.close(), problems.push('anonymous socket accepted'))
        continue
      }
      if (typeof socket === 'string') {
        problems.push(`${caller.name} socket refused: ${socket}`)
        continue
      }
      for (const dashboard of THEME_IDS) {
        for (const region of ['511000', '511025', townA.code, OTHER_COUNTY]) {
          const ack = (await socket.timeout(30_000).emitWithAck(socketEvents.subscribe, { dashboard, region })) as { ok: boolean; error?: string }
          seen.push({ where: `${caller.name} subscribe ${dashboard}:${region}`, text: JSON.stringify(ack) })
          const inside = region === caller.scope || (caller.scope === '511000') || (caller.scope === '511025' && region === townA.code)
          if (!inside && ack.ok) problems.push(`${caller.name} subscribed outside scope: ${dashboard}:${region}`)
          if (inside && ack.ok) accepted++
        }
      }
      // Let a few ticks of updates arrive for the scan.
      await new Promise((resolve) => setTimeout(resolve, 600))
      socket.close()
    }
    expect(problems).toEqual([])
    // Inside their scope, callers do get their themes (so the refusals above are not blanket ones).
    expect(accepted).toBeGreaterThan(THEME_IDS.length * 4)
  })
})

describe('personal data', () => {
  it('appears in no HTTP body or socket frame, except the one field a supervisor revealed', () => {
    expect(seen.length).toBeGreaterThan(50)
    const leaks = seen
      .filter((entry) => !entry.where.includes(REVEALS))
      .flatMap((entry) => findUnmaskedPersonalData(entry.text).map((hit) => `${entry.where}: ${hit.kind} ${hit.sample}`))
    expect(leaks).toEqual([])
  })
})
