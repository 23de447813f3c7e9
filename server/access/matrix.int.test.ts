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
import { listAudit } from './auditLog'
import type { Role } from './principal'
import { fixtureRows, insertFixtureRows, type FixtureRow } from '../records/testing/paymentFixtures'
import { RECORD_ROLES, REVEAL_ROLES } from '../records/routes'
import { metricRegistry } from '../metrics/registry'
import { safeNext } from '../../app/login/safeNext'

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
  'POST /api/admin/users/:name/enable': ['admin'],
  'POST /api/admin/users/:name/password': ['admin'],
  'POST /api/admin/users/:name/grant': ['admin'],
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

/** Tests that loop over every route, caller and region: about a minute on a quiet machine, several under load. */
const LOOP_TIMEOUT_MS = 600_000

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

/** As a page of ours would ask: JSON bodies, and the Origin a browser sends with every POST. */
async function call(caller: Caller, method: string, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...caller.headers, ...(method === 'GET' ? {} : { 'content-type': 'application/json', origin: app.url }) },
    body: method === 'GET' ? undefined : '{}',
  })
  const text = await response.text()
  const where = `${caller.name} ${method} ${path} → ${response.status}`
  seen.push({ where, text })
  // API answers are data: never sniffed into a page, never framed.
  if (response.headers.get('x-content-type-options') !== 'nosniff' || response.headers.get('x-frame-options') !== 'DENY') missingHeaders.push(where)
  return { status: response.status, text }
}
const missingHeaders: string[] = []

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
    expect(missingHeaders).toEqual([])
  }, LOOP_TIMEOUT_MS)

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
    // The outside test's 462 out-of-scope attempts left no trace: every refusal is audited (a row
    // per caller, route and minute, counting the rest).
    const denied = await listAudit(app.ctx.db, { action: 'access.denied', actor: 'staff-zz', limit: 1000 })
    expect(denied.length).toBeGreaterThan(0)
    expect(denied.some((row) => row.outcome === 'denied' && /^GET \/api\/records/.test(row.target))).toBe(true)
  }, LOOP_TIMEOUT_MS)

  it('audits a caller hammering out of scope with one row per route and minute, not one per request', async () => {
    const town = byName('staff-town')
    const rowsFor = async () => (await listAudit(app.ctx.db, { action: 'access.denied', actor: 'staff-town', limit: 1000 })).filter((row) => row.target === 'GET /api/records')
    const before = (await rowsFor()).length
    for (let i = 0; i < 20; i++) {
      const { status } = await call(town, 'GET', `/api/records?region=${OTHER_COUNTY}`)
      expect(status).toBe(403)
    }
    const after = await rowsFor()
    expect(after.length).toBeGreaterThan(0)
    expect(after.length - before).toBeLessThanOrEqual(1)
  })

  it('returns records to reviewers (so the scan below has data to look at)', async () => {
    const leader = callers.find((c) => c.name === 'leader')!
    const { status, text } = await call(leader, 'GET', '/api/records?pageSize=100')
    expect(status).toBe(200)
    expect(JSON.parse(text).total).toBe(rows.length)
    const supervisor = callers.find((c) => c.name === 'supervisor')!
    const reveal = await fetch(`${app.url}/api/reveal`, {
      method: 'POST',
      headers: { ...supervisor.headers, 'content-type': 'application/json', origin: app.url },
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
        // A browser sends its page's Origin with the WebSocket handshake.
        extraHeaders: caller.headers.cookie ? { cookie: caller.headers.cookie, origin: app.url } : {},
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
        if (typeof socket !== 'string') {
          socket.close()
          problems.push('anonymous socket accepted')
        }
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
    // Refused subscriptions are audited like refused requests.
    const denied = await listAudit(app.ctx.db, { action: 'access.denied', actor: 'staff-town', limit: 1000 })
    expect(denied.map((row) => row.target)).toContain(`socket subscribe alerts:${OTHER_COUNTY}`)
  }, LOOP_TIMEOUT_MS)
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

// ---------------------------------------------------------------------------------------------
// The holes an outside test found (issue 14), each checked on the fully wired server.

const byName = (name: string) => callers.find((c) => c.name === name)!
const ANOTHER_PORT = 'http://127.0.0.1:1' // a page of the same host on another port: same-site, not same-origin

async function post(path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; json: any; response: Response }> {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.url, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, json: await response.json().catch(() => null), response }
}

async function signInAs(username: string, password: string): Promise<string> {
  const { status, response } = await post('/api/auth/login', { username, password }, {})
  expect(status, `sign-in of ${username}`).toBe(200)
  return response.headers.get('set-cookie')!.split(';')[0]
}

const meStatus = async (cookie: string) => (await fetch(`${app.url}/api/auth/me`, { headers: { cookie } })).status

function openSocket(headers: Record<string, string>): Promise<Socket | string> {
  return new Promise((resolve) => {
    const socket = io(app.url, { transports: ['websocket'], reconnection: false, extraHeaders: headers })
    socket.on('connect', () => resolve(socket))
    socket.on('connect_error', (error) => (socket.close(), resolve(error.message)))
  })
}

describe('audit names what was revealed', () => {
  it('writes each revealed detail id exactly, even ids that look like card numbers', async () => {
    // Two ids that a card pattern masks alike (`2026 **** **** 0007`): they must stay apart.
    const lookAlikes = ['L2026000000000007', 'L2026100000000007'].map((id) => ({ ...rows[0], detail_id: id }))
    await insertFixtureRows(app.ctx.db, lookAlikes)
    const supervisor = byName('supervisor')
    for (const row of lookAlikes) {
      const { status } = await post('/api/reveal', { detailId: row.detail_id, field: 'phone', reason: '核查重复领取线索' }, supervisor.headers)
      expect(status).toBe(200)
    }
    const targets = (await listAudit(app.ctx.db, { action: 'records.reveal', actor: 'supervisor' })).filter((r) => r.outcome === 'ok').map((r) => r.target)
    expect(targets).toEqual(expect.arrayContaining(lookAlikes.map((row) => row.detail_id)))
  })
})

describe('cookie-authorised changes and sockets are bound to our origin', () => {
  it('refuses text/plain, forms, a foreign Origin and a missing one, and writes nothing', async () => {
    const staff = byName('staff-zz')
    const mark = { kind: 'region', id: '511025', action: 'mark', note: 'csrf' }
    const forged: Array<Record<string, string>> = [
      { 'content-type': 'text/plain' }, // a no-cors fetch
      { 'content-type': 'application/x-www-form-urlencoded' }, // a form post
      { origin: ANOTHER_PORT },
      { origin: 'null' },
    ]
    for (const headers of forged) {
      const { status } = await post('/api/watch', JSON.stringify(mark), { ...staff.headers, ...headers })
      expect([403, 415], JSON.stringify(headers)).toContain(status)
    }
    const noOrigin = await fetch(`${app.url}/api/watch`, { method: 'POST', headers: { ...staff.headers, 'content-type': 'application/json' }, body: JSON.stringify(mark) })
    expect(noOrigin.status).toBe(403)
    for (const path of ['/api/ledger/TZ-x/transition', '/api/followups/x/transition', '/api/ledger/TZ-x/evidence']) {
      expect((await post(path, JSON.stringify({ to: '已核实', note: 'csrf' }), { ...staff.headers, 'content-type': 'text/plain' })).status).toBe(415)
      expect((await post(path, { to: '已核实', note: 'csrf' }, { ...staff.headers, origin: ANOTHER_PORT })).status).toBe(403)
    }
    const written = await app.ctx.db.client.query({ query: "SELECT count() AS n FROM watch_mark WHERE note = 'csrf'", format: 'JSONEachRow' })
    expect(Number((await written.json<{ n: string }>())[0].n)).toBe(0)
    // The same change from our own page goes through.
    expect((await post('/api/watch', mark, staff.headers)).status).toBe(201)
    // Refusals of this kind are audited too.
    const denied = await listAudit(app.ctx.db, { action: 'access.denied', actor: 'staff-zz', limit: 1000 })
    expect(denied.some((row) => row.target === 'POST /api/watch')).toBe(true)
  })

  it('refuses a socket opened with the session cookie from another origin', async () => {
    const staff = byName('staff-zz')
    for (const origin of [ANOTHER_PORT, undefined]) {
      const refused = await openSocket({ cookie: staff.headers.cookie, ...(origin ? { origin } : {}) })
      if (typeof refused !== 'string') refused.close()
      expect(refused, `origin ${origin}`).toBe('unauthorized')
    }
    const ours = await openSocket({ cookie: staff.headers.cookie, origin: app.url })
    expect(typeof ours).not.toBe('string')
    const ack = (await (ours as Socket).timeout(30_000).emitWithAck(socketEvents.subscribe, { dashboard: 'alerts', region: '511025' })) as { ok: boolean }
    expect(ack.ok).toBe(true)
    ;(ours as Socket).close()
  })
})

describe('redirect after sign-in', () => {
  it('goes only to a path on this site, as the URL parser reads it', () => {
    const origin = 'http://wall.example:3000'
    for (const next of ['/\t/evil.example/', '/\n/evil.example/', '/\r/evil.example/', '//evil.example', '/\\evil.example', '/.//evil.example', 'https://evil.example/', 'javascript:alert(1)', ' //evil.example', '']) {
      expect(safeNext(next, origin), JSON.stringify(next)).toBe('/')
    }
    expect(safeNext('/region/511025?from=wall#map', origin)).toBe('/region/511025?from=wall#map')
    expect(safeNext('/%2F%2Fevil.example', origin)).toBe('/%2F%2Fevil.example') // a path on this site, not a host
  })
})

describe('sessions end for good when their grounds change', () => {
  const admin = () => byName('admin').headers
  const name = 'matrix-changer'

  /**
   * A signed-in socket watching a room, and when it was dropped. The clock of "within 1 s" starts
   * when the change is answered (it is stored by then): the request itself hashes a password and
   * waits on the database, which under load alone takes more than a second.
   */
  async function watchingSocket(cookie: string): Promise<{ socket: Socket; droppedAt: Promise<number> }> {
    const socket = await openSocket({ cookie, origin: app.url })
    if (typeof socket === 'string') throw new Error(`socket refused: ${socket}`)
    expect(((await socket.timeout(30_000).emitWithAck(socketEvents.subscribe, { dashboard: 'alerts', region: '511025' })) as { ok: boolean }).ok).toBe(true)
    const droppedAt = new Promise<number>((resolve) => {
      socket.once('disconnect', () => resolve(Date.now()))
      // Still open 10 s later: reported as never (the heartbeat's own sweep would have come by then).
      setTimeout(() => resolve(Number.POSITIVE_INFINITY), 10_000).unref()
    })
    return { socket, droppedAt }
  }

  async function changeAndTime(path: string, body: unknown): Promise<{ answeredAt: number; json: any }> {
    const changed = await post(path, body, admin())
    expect(changed.status, path).toBe(200)
    return { answeredAt: Date.now(), json: changed.json }
  }

  it('after a password reset, a disable (also once re-enabled) and a new grant; open sockets drop within 1 s', async () => {
    await createUser(app.ctx.db, { username: name, role: 'staff', scope: '511025', password: PASSWORD })
    const first = await signInAs(name, PASSWORD)
    const onReset = await watchingSocket(first)
    const reset = await changeAndTime(`/api/admin/users/${name}/password`, {})
    expect(await meStatus(first)).toBe(401)
    expect((await onReset.droppedAt) - reset.answeredAt, 'socket after a password reset').toBeLessThan(1000)
    onReset.socket.close()

    const second = await signInAs(name, reset.json.password)
    expect(await meStatus(second)).toBe(200)
    const onDisable = await watchingSocket(second)
    const disabled = await changeAndTime(`/api/admin/users/${name}/disable`, {})
    expect(await meStatus(second)).toBe(401)
    expect((await onDisable.droppedAt) - disabled.answeredAt, 'socket after disable').toBeLessThan(1000)
    onDisable.socket.close()
    await changeAndTime(`/api/admin/users/${name}/enable`, {})
    expect(await meStatus(second), 'a session refused while disabled stays refused after enable').toBe(401)

    const third = await signInAs(name, reset.json.password)
    expect((await fetch(`${app.url}/api/records?pageSize=1`, { headers: { cookie: third } })).status).toBe(200)
    const onGrant = await watchingSocket(third)
    const granted = await changeAndTime(`/api/admin/users/${name}/grant`, { role: 'staff', scope: townA.code })
    expect(await meStatus(third)).toBe(401)
    expect((await fetch(`${app.url}/api/records?pageSize=1`, { headers: { cookie: third } })).status).toBe(401)
    expect((await onGrant.droppedAt) - granted.answeredAt, 'socket after a new grant').toBeLessThan(1000)
    onGrant.socket.close()
  })
})

describe('sign-in throttling', () => {
  /** A sign-in from another loopback address (Linux answers all of 127/8): the server sees it as another client. */
  function signInFrom(address: string, username: string, password: string): Promise<number> {
    const body = JSON.stringify({ username, password })
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${app.url}/api/auth/login`,
        { method: 'POST', localAddress: address, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume()
          response.on('end', () => resolve(response.statusCode ?? 0))
        },
      )
      request.on('error', reject)
      request.end(body)
    })
  }

  it('slows only the guessed name from the guessing address; 20 names guessed from one address lock no one else out', async () => {
    await createUser(app.ctx.db, { username: 'lock-target', role: 'staff', scope: '511025', password: PASSWORD })
    for (let i = 0; i < 6; i++) await signInFrom('127.0.0.2', 'lock-target', `wrong-guess-${i}`)
    expect(await signInFrom('127.0.0.2', 'lock-target', PASSWORD), 'the guessing address').toBe(429)
    // Hammering the slowed name is answered at no cost, and audited once a minute, not per request.
    for (let i = 0; i < 10; i++) expect(await signInFrom('127.0.0.2', 'lock-target', `wrong-guess-${i}`)).toBe(429)
    const limited = (await listAudit(app.ctx.db, { action: 'auth.login', actor: 'lock-target' })).filter((row) => row.outcome === 'limited')
    expect(limited).toHaveLength(1)
    expect(await signInFrom('127.0.0.3', 'lock-target', PASSWORD), 'the user at their own desk').toBe(200)

    await createUser(app.ctx.db, { username: 'lock-colleague', role: 'staff', scope: '511025', password: PASSWORD })
    for (let i = 0; i < 20; i++) expect(await signInFrom('127.0.0.4', `sprayed-${i}`, 'wrong-guess')).toBe(401)
    expect(await signInFrom('127.0.0.4', 'lock-colleague', PASSWORD), 'a colleague behind the spraying address').toBe(200)
  })
})

describe('what people type counts in visible characters', () => {
  it('refuses reveal reasons of zero-width spaces, dots or filler, and audits the attempt', async () => {
    const supervisor = byName('supervisor')
    for (const reason of ['\u200b\u200b\u200b\u200b\u200b\u200b', '....', 'abcd', '  看看  ', '核查\u200b线索原因', '啊啊啊啊']) {
      const { status } = await post('/api/reveal', { detailId: rows[0].detail_id, field: 'phone', reason }, supervisor.headers)
      expect(status, JSON.stringify(reason)).toBe(400)
    }
    const refused = (await listAudit(app.ctx.db, { action: 'records.reveal', actor: 'supervisor' })).filter((row) => row.outcome === 'denied')
    expect(refused.length).toBeGreaterThanOrEqual(6)
  })

  it('refuses passwords of spaces or invisible characters', async () => {
    for (const password of [' '.repeat(10), '\u200b'.repeat(12), 'abc\u200bdefghijk', ' padded-password ', 'aaaaaaaaaaaa']) {
      const created = await post('/api/admin/users', { username: 'spaces-user', role: 'staff', scope: '511025', password }, byName('admin').headers)
      expect(created.status, JSON.stringify(password)).toBe(400)
    }
  })
})

describe('figures follow the scope asked for', () => {
  it('refuses budget figures below county level instead of showing the county\'s', async () => {
    const town = byName('staff-town')
    // Every metric that reads the budget tables, so one added later is held to the same rule.
    const budgetMetrics = [...metricRegistry].filter(([, metric]) => metric.reads.includes('budget')).map(([name]) => name)
    expect(budgetMetrics).toEqual(expect.arrayContaining(['budget.executionRate', 'budget.executionByRegion', 'budget.executionByDept', 'budget.chain', 'budget.idleFunds']))
    for (const name of budgetMetrics) {
      // The town user's own scope (the default region), and a village inside it asked by name.
      for (const query of ['', `?region=${childrenOf(townA.code)[0].code}`]) {
        const response = await fetch(`${app.url}/api/metrics/${name}${query}`, { headers: town.headers })
        expect(response.status, `${name}${query}`).toBe(400)
      }
    }
    const county = await fetch(`${app.url}/api/metrics/budget.executionRate`, { headers: byName('staff-zz').headers })
    expect(county.status).toBe(200)
  })

  it('answers every metric at a town and a village with data or a 400, never a server fault', async () => {
    const leader = byName('leader')
    const village = rows[0].village_code
    const faults: string[] = []
    for (const name of metricRegistry.keys()) {
      for (const region of [townA.code, village]) {
        const response = await fetch(`${app.url}/api/metrics/${name}?region=${region}`, { headers: leader.headers })
        if (response.status >= 500 || ![200, 400].includes(response.status)) faults.push(`${name} ${region} → ${response.status}`)
      }
    }
    expect(faults).toEqual([])
  }, LOOP_TIMEOUT_MS)
})

describe('/api/health', () => {
  it('tells anyone only whether the server is up and how fresh its data is; details are for admins', async () => {
    for (const caller of callers.filter((c) => c.role !== 'admin')) {
      const body = await (await fetch(`${app.url}/api/health`, { headers: caller.headers })).json()
      expect(Object.keys(body).sort(), caller.name).toEqual(['newestDataTime', 'status'])
    }
    const details = await (await fetch(`${app.url}/api/health`, { headers: byName('admin').headers })).json()
    expect(details).toHaveProperty('live.rooms')
    expect(details).toHaveProperty('rows.payment_detail')
  })
})
