import type { IncomingMessage } from 'node:http'
import type { AppContext } from '../context'
import { HttpError } from '../http/router'
import type { Auth, Principal, Role } from './principal'
import { SESSION_COOKIE, readCookie } from './cookies'
import { cachedPrincipal, forgetCachedPrincipals, rememberPrincipal } from './principalCache'
import { lookupSession } from './sessionStore'
import { lookupDisplayToken } from './displayTokenStore'
import { hashToken } from './secrets'
import { checkCookieStateChange, originProblem } from './originCheck'

/**
 * The sign-in layer every handler and socket goes through. A request is identified by its session
 * cookie, or by `Authorization: Bearer <display token>` (wall screens). Nothing is trusted from
 * the request except those secrets; role and scope always come from the tables.
 */
export function createAuth(ctx: Pick<AppContext, 'db' | 'log'> & { config?: Pick<AppContext['config'], 'PUBLIC_ORIGIN'> }): Auth {
  const publicOrigins = ctx.config?.PUBLIC_ORIGIN

  async function fromSessionToken(token: string): Promise<Principal | null> {
    const session = await lookupSession(ctx.db, token)
    if (!session?.valid) return null
    return { id: `user:${session.username}`, name: session.username, role: session.role, scope: session.scope }
  }

  async function fromDisplayToken(token: string): Promise<Principal | null> {
    const display = await lookupDisplayToken(ctx.db, token)
    if (!display || display.revoked) return null
    return { id: `display:${display.id}`, name: display.label, role: 'wall', scope: display.scope }
  }

  /** Looks a token up as `kind`, through the one-second cache. */
  async function resolve(kind: 'session' | 'display' | 'any', token: string): Promise<Principal | null> {
    // Tokens are 43 base64url characters; anything else is not worth a query.
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null
    const key = `${kind}:${hashToken(token)}`
    const cached = cachedPrincipal(key)
    if (cached !== undefined) return cached
    let principal: Principal | null = null
    if (kind !== 'display') principal = await fromSessionToken(token)
    if (!principal && kind !== 'session') principal = await fromDisplayToken(token)
    rememberPrincipal(key, principal)
    return principal
  }

  /** The principal and whether the browser sent its credential by itself (the session cookie). */
  async function identifyRequest(req: IncomingMessage): Promise<{ principal: Principal; byCookie: boolean } | null> {
    const authorization = req.headers.authorization
    if (authorization?.startsWith('Bearer ')) {
      const principal = await resolve('display', authorization.slice(7).trim())
      return principal && { principal, byCookie: false }
    }
    const session = readCookie(req.headers.cookie, SESSION_COOKIE)
    const principal = session ? await resolve('session', session) : null
    return principal && { principal, byCookie: true }
  }

  async function identify(req: IncomingMessage): Promise<Principal | null> {
    return (await identifyRequest(req))?.principal ?? null
  }

  return {
    identify,

    async identifySocket(handshake) {
      const token = handshake.auth?.token
      if (typeof token === 'string' && token !== '') return resolve('any', token)
      const session = readCookie(handshake.headers.cookie, SESSION_COOKIE)
      if (!session) return null
      // The browser sends the cookie with any page's socket, even another port's: only pages of
      // our own origin may stream with it.
      if (originProblem(handshake.headers, publicOrigins)) return null
      return resolve('session', session)
    },

    // Refusals are audited where every refused request passes: server/access/refusalAudit.ts.
    async require(req: IncomingMessage, roles: readonly Role[]): Promise<Principal> {
      const identified = await identifyRequest(req)
      if (!identified) throw new HttpError(401, '请先登录')
      if (identified.byCookie) checkCookieStateChange(req, publicOrigins)
      if (!roles.includes(identified.principal.role)) throw new HttpError(403, '当前角色无权访问')
      return identified.principal
    },
  }
}

export { forgetCachedPrincipals }
