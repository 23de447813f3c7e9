import type { IncomingMessage } from 'node:http'
import { isWithin } from '../../geo/regions'

/**
 * Who is asking. Every handler, export and socket subscription receives a Principal from
 * `ctx.auth` and passes it into the data layer, which limits rows to `scope`.
 */
export type Role = 'wall' | 'leader' | 'staff' | 'supervisor' | 'admin'

export interface Principal {
  /** user id, or `display:<token id>` for a wall screen */
  id: string
  /** login name or the screen's label; never personal data of beneficiaries */
  name: string
  role: Role
  /** region code the principal may see: '511000' (the whole city) or a county/town subtree */
  scope: string
}

/** Implemented by server/access; handlers call it, the data layer trusts only what it returns. */
export interface Auth {
  /** The principal behind a request (session cookie, display token or bearer), or null. */
  identify(req: IncomingMessage): Promise<Principal | null>
  /**
   * Same, from a Socket.IO handshake's `auth.token` or its cookie header; the cookie counts only
   * when the handshake's Origin is ours (server/access/originCheck.ts).
   */
  identifySocket(handshake: { auth?: Record<string, unknown>; headers: IncomingMessage['headers'] }): Promise<Principal | null>
  /** identify() or throw HttpError 401/403 when absent or not one of `roles`. */
  require(req: IncomingMessage, roles: readonly Role[]): Promise<Principal>
}

/** True when the principal may see data of `regionCode` (inside its scope subtree). */
export function inScope(principal: Principal, regionCode: string): boolean {
  return isWithin(regionCode, principal.scope)
}
