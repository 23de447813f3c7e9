import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Db } from '../../db/client'
import type { AppContext, Logger } from '../../context'
import { Router, sendJson } from '../../http/router'
import { testConfig } from '../../testing/tempDb'
import { createAuth } from '../createAuth'
import { registerAccessRoutes } from '../index'
import { createUser } from '../userStore'
import type { RateLimitOptions } from '../loginRateLimit'

/**
 * A real HTTP server carrying only the access (and, optionally, records) routes, on a database the
 * test file opened once. Used by this part's tests before the lead wires everything into startApp.
 */
export interface AccessServer {
  url: string
  ctx: AppContext
  logs: string[]
  close(): Promise<void>
}

export async function startAccessServer(
  db: Db & { dataDir: string },
  options: { register?: (router: Router) => void; loginLimits?: Partial<RateLimitOptions>; env?: Record<string, string> } = {},
): Promise<AccessServer> {
  const logs: string[] = []
  const log: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) }
  const ctx: AppContext = {
    // PORT only names the port in printed URLs here; the server below listens on a free one.
    config: testConfig(db.dataDir, { PORT: '3000' }),
    db,
    log,
    startedAt: new Date(),
    auth: undefined as never,
    onIngest: [],
    dataChanged: () => {},
    healthExtras: [],
  }
  ctx.auth = createAuth(ctx)
  const router = new Router()
  const savedEnv = { ...process.env }
  Object.assign(process.env, options.env ?? {})
  try {
    await registerAccessRoutes(router, ctx, { loginLimits: options.loginLimits })
  } finally {
    process.env = savedEnv
  }
  options.register?.(router)
  const server = http.createServer((req, res) => {
    void router.handle(req, res, ctx).then((handled) => {
      if (!handled) sendJson(res, 404, { error: 'no route' })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    logs,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

/** Signs in and returns the session cookie pair (`ykt_session=…`). */
export async function signIn(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (response.status !== 200) throw new Error(`sign-in of ${username} answered ${response.status}`)
  return response.headers.get('set-cookie')!.split(';')[0]
}

/** A session cookie of a fresh administrator (for routes whose details only admins see). */
export async function adminCookie(url: string, db: Db): Promise<string> {
  const username = `ops-${Math.random().toString(36).slice(2, 8)}`
  await createUser(db, { username, role: 'admin', scope: '511000', password: 'ops-password-123' })
  return signIn(url, username, 'ops-password-123')
}
