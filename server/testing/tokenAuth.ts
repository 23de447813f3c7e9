import type http from 'node:http'
import type { Auth, Principal, Role } from '../access/principal'
import { HttpError } from '../http/router'

/**
 * A test Auth: bearer tokens (HTTP) and handshake tokens (Socket.IO) mapped to principals. It stands
 * in for the sign-in layer (server/access), which the tests that use it do not exercise.
 */
export function tokenAuth(principals: Record<string, Principal>): Auth {
  const byToken = (token: unknown) => (typeof token === 'string' ? (principals[token] ?? null) : null)
  const identify = async (req: http.IncomingMessage) => byToken(req.headers.authorization?.replace(/^Bearer /, ''))
  return {
    identify,
    identifySocket: async (handshake) => byToken(handshake.auth?.token),
    async require(req, roles: readonly Role[]) {
      const who = await identify(req)
      if (!who) throw new HttpError(401, 'sign-in required')
      if (!roles.includes(who.role)) throw new HttpError(403, 'role not allowed')
      return who
    },
  }
}
