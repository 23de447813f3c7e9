/**
 * Failed sign-ins counted per (user name, client address) pair. A lock anyone can cause is a
 * denial of service, so the only thing ever slowed down is the pair that is failing: guessing a
 * name from one address slows that name from that address, and the same person signing in from
 * their own desk is never kept out.
 *
 * - A pair gets `freePerPair` failures (typing mistakes), then waits before each next attempt:
 *   `baseBackoffMs`, doubling with every further failure, at most `maxBackoffMs`.
 * - An address that has failed for `sprayUsers` different names is guessing many accounts: from
 *   it, every name's first failure already starts the backoff. A name that address has not tried
 *   yet still gets its one check, so a colleague behind the same office gateway with the right
 *   password signs in.
 * Failures are forgotten `windowMs` after the last one. In memory: a restart forgets, which is
 * acceptable for an on-premises wall with a handful of users.
 */
export interface RateLimitOptions {
  windowMs: number
  freePerPair: number
  sprayUsers: number
  baseBackoffMs: number
  maxBackoffMs: number
}

export const DEFAULT_LOGIN_LIMITS: RateLimitOptions = {
  windowMs: 15 * 60_000,
  freePerPair: 5,
  sprayUsers: 10,
  baseBackoffMs: 2_000,
  maxBackoffMs: 5 * 60_000,
}

interface PairState {
  failures: number
  lastAt: number
}

const MAX_TRACKED = 50_000
const AUDIT_EVERY_MS = 60_000

export class LoginRateLimit {
  private readonly pairs = new Map<string, PairState>()
  /** address → names that failed from it recently */
  private readonly namesByAddress = new Map<string, Map<string, number>>()
  private readonly options: RateLimitOptions
  /** pair → when its last refusal was audited, and the refusals counted since */
  private readonly refusalAudits = new Map<string, { at: number; suppressed: number }>()

  constructor(options: Partial<RateLimitOptions> = {}) {
    this.options = { ...DEFAULT_LOGIN_LIMITS, ...options }
  }

  /** Seconds until this name may be tried again from this address, or 0 when allowed now. */
  retryAfter(username: string, ip: string, now = Date.now()): number {
    const state = this.pair(username, ip, now)
    if (!state) return 0
    const free = this.isSpraying(ip, now) ? 1 : this.options.freePerPair
    if (state.failures < free) return 0
    const backoff = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** (state.failures - free))
    const wait = state.lastAt + backoff - now
    return wait > 0 ? Math.ceil(wait / 1000) : 0
  }

  recordFailure(username: string, ip: string, now = Date.now()): void {
    if (this.pairs.size > MAX_TRACKED) this.prune(now)
    const key = pairKey(username, ip)
    const state = this.pair(username, ip, now) ?? { failures: 0, lastAt: now }
    this.pairs.set(key, { failures: state.failures + 1, lastAt: now })
    const names = this.namesByAddress.get(ip) ?? new Map<string, number>()
    names.set(username.toLowerCase(), now)
    this.namesByAddress.set(ip, names)
  }

  /**
   * Whether a refused (429) attempt goes to the audit trail: the first of each pair per minute,
   * with how many were refused unwritten in the minute before it. A script hammering a slowed name
   * gets its answer at no cost; it must not get one audit row per request either.
   */
  auditRefusal(username: string, ip: string, now = Date.now()): { write: boolean; alsoRefused: number } {
    const key = pairKey(username, ip)
    const last = this.refusalAudits.get(key)
    if (last && now - last.at < AUDIT_EVERY_MS) {
      last.suppressed += 1
      return { write: false, alsoRefused: 0 }
    }
    if (this.refusalAudits.size > MAX_TRACKED) this.refusalAudits.clear()
    this.refusalAudits.set(key, { at: now, suppressed: 0 })
    return { write: true, alsoRefused: last?.suppressed ?? 0 }
  }

  /** The right password clears that pair only (an address guessing other names stays marked). */
  recordSuccess(username: string, ip: string): void {
    this.pairs.delete(pairKey(username, ip))
  }

  private pair(username: string, ip: string, now: number): PairState | undefined {
    const key = pairKey(username, ip)
    const state = this.pairs.get(key)
    if (state && now - state.lastAt >= this.options.windowMs) {
      this.pairs.delete(key)
      return undefined
    }
    return state
  }

  private isSpraying(ip: string, now: number): boolean {
    const names = this.namesByAddress.get(ip)
    if (!names) return false
    for (const [name, at] of names) if (now - at >= this.options.windowMs) names.delete(name)
    if (names.size === 0) this.namesByAddress.delete(ip)
    return names.size >= this.options.sprayUsers
  }

  private prune(now: number): void {
    for (const [key, state] of this.pairs) if (now - state.lastAt >= this.options.windowMs) this.pairs.delete(key)
    for (const ip of [...this.namesByAddress.keys()]) this.isSpraying(ip, now)
  }
}

function pairKey(username: string, ip: string): string {
  return `${username.toLowerCase()}\u0000${ip}`
}
