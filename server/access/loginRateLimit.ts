/**
 * Failed sign-ins counted per user name and per client address over a sliding window. A name is
 * locked after 5 failures in 5 minutes (guessing one account); an address after 20 (guessing
 * many, while a shared office gateway still lets colleagues in). In memory: a restart forgets,
 * which is acceptable for an on-premises wall with a handful of users.
 */
export interface RateLimitOptions {
  windowMs: number
  maxPerName: number
  maxPerIp: number
}

export const DEFAULT_LOGIN_LIMITS: RateLimitOptions = { windowMs: 5 * 60_000, maxPerName: 5, maxPerIp: 20 }

export class LoginRateLimit {
  private failures = new Map<string, number[]>()

  constructor(private readonly options: RateLimitOptions = DEFAULT_LOGIN_LIMITS) {}

  /** Seconds until another attempt is allowed, or 0 when allowed now. */
  retryAfter(username: string, ip: string): number {
    const now = Date.now()
    const waits = [
      this.wait(`name:${username.toLowerCase()}`, this.options.maxPerName, now),
      this.wait(`ip:${ip}`, this.options.maxPerIp, now),
    ]
    return Math.max(...waits)
  }

  recordFailure(username: string, ip: string): void {
    const now = Date.now()
    for (const key of [`name:${username.toLowerCase()}`, `ip:${ip}`]) {
      const list = this.recent(key, now)
      list.push(now)
      this.failures.set(key, list)
    }
    if (this.failures.size > 50_000) this.prune(now)
  }

  /** A correct password clears the name's count (not the address's: one good account must not
   * reset the count of an address that is guessing others). */
  recordSuccess(username: string): void {
    this.failures.delete(`name:${username.toLowerCase()}`)
  }

  private wait(key: string, max: number, now: number): number {
    const list = this.recent(key, now)
    if (list.length < max) return 0
    return Math.max(1, Math.ceil((list[list.length - max] + this.options.windowMs - now) / 1000))
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => now - at < this.options.windowMs)
  }

  private prune(now: number): void {
    for (const [key, list] of this.failures) {
      const kept = list.filter((at) => now - at < this.options.windowMs)
      if (kept.length) this.failures.set(key, kept)
      else this.failures.delete(key)
    }
  }
}
