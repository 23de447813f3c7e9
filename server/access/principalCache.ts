import type { Principal } from './principal'

/**
 * Principals looked up from a token, kept for at most one second: a wall with many sockets and
 * polls does not hit the database on every request, and a revocation made anywhere takes effect
 * within that second. Revocations made in this process clear the cache at once.
 */
const TTL_MS = 1000
const MAX_ENTRIES = 10_000

const entries = new Map<string, { principal: Principal | null; at: number }>()

export function cachedPrincipal(key: string): Principal | null | undefined {
  const entry = entries.get(key)
  if (!entry) return undefined
  if (Date.now() - entry.at > TTL_MS) {
    entries.delete(key)
    return undefined
  }
  return entry.principal
}

export function rememberPrincipal(key: string, principal: Principal | null): void {
  if (entries.size >= MAX_ENTRIES) entries.clear()
  entries.set(key, { principal, at: Date.now() })
}

type RevocationListener = (principalId: string | undefined) => void
const revocationListeners = new Set<RevocationListener>()

/**
 * Called by the stores after any logout, revocation, disabling, password or grant change, with the
 * principal id concerned when there is one (`user:<name>`, `display:<id>`).
 */
export function forgetCachedPrincipals(principalId?: string): void {
  entries.clear()
  for (const listener of revocationListeners) listener(principalId)
}

/** Runs `listener` after every revocation made in this process (open sockets re-check at once). */
export function onRevocation(listener: RevocationListener): () => void {
  revocationListeners.add(listener)
  return () => {
    revocationListeners.delete(listener)
  }
}
