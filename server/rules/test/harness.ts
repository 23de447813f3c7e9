import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Auth, Principal, Role } from '../../access/principal'
import type { AppContext } from '../../context'
import type { Db } from '../../db/client'
import { HttpError, Router, sendJson } from '../../http/router'
import { registerRuleRoutes } from '../routes/index'

/** A test Auth: bearer tokens mapped to principals (the real sign-in layer is server/access). */
export function tokenAuth(principals: Record<string, Principal>): Auth {
  const identify = async (req: http.IncomingMessage) => principals[(req.headers.authorization ?? '').replace(/^Bearer /, '')] ?? null
  return {
    identify,
    identifySocket: async () => null,
    async require(req, roles: readonly Role[]) {
      const who = await identify(req)
      if (!who) throw new HttpError(401, 'sign-in required')
      if (!roles.includes(who.role)) throw new HttpError(403, 'role not allowed')
      return who
    },
  }
}

/** The rule routes on a real HTTP server over a real database. */
export async function serveRuleRoutes(db: Db, auth: Auth): Promise<{ ctx: AppContext; url: string; close(): Promise<void> }> {
  const ctx: AppContext = {
    config: {} as AppContext['config'],
    db,
    log: { info: () => {}, warn: () => {}, error: (message) => console.error(message) },
    startedAt: new Date(),
    auth,
    onIngest: [],
    dataChanged: () => {},
    healthExtras: [],
  }
  const router = new Router()
  registerRuleRoutes(router)
  const server = http.createServer((req, res) => {
    void router.handle(req, res, ctx).then((handled) => {
      if (!handled) sendJson(res, 404, { error: 'no route' })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { ctx, url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}
