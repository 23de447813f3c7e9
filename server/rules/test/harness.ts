import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Auth } from '../../access/principal'
import type { AppContext } from '../../context'
import type { Db } from '../../db/client'
import { Router, sendJson } from '../../http/router'
import { registerRuleRoutes } from '../routes/index'

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
