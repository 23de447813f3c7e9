import { describe, expect, it } from 'vitest'
import { LoginRateLimit } from './loginRateLimit'

/**
 * The outside test: 5 wrong passwords locked the account even for the right one, and 20 failures
 * locked every user out of one address. Only the failing (name, address) pair may be slowed.
 */
const T0 = 1_700_000_000_000
const limits = () => new LoginRateLimit({ freePerPair: 5, sprayUsers: 10, baseBackoffMs: 2_000, maxBackoffMs: 300_000, windowMs: 900_000 })

describe('login throttling by name and address', () => {
  it('slows the guessed name from the guessing address only, with growing waits', () => {
    const limit = limits()
    for (let i = 0; i < 4; i++) limit.recordFailure('victim', '10.0.0.66', T0 + i)
    expect(limit.retryAfter('victim', '10.0.0.66', T0 + 10)).toBe(0)
    limit.recordFailure('victim', '10.0.0.66', T0 + 10)
    expect(limit.retryAfter('victim', '10.0.0.66', T0 + 11)).toBe(2)
    expect(limit.retryAfter('victim', '10.0.0.66', T0 + 2_011)).toBe(0)
    limit.recordFailure('victim', '10.0.0.66', T0 + 2_011)
    expect(limit.retryAfter('victim', '10.0.0.66', T0 + 2_012)).toBe(4)
    // The victim at their own desk, and colleagues behind the guessing address, are not slowed.
    expect(limit.retryAfter('victim', '10.0.0.7', T0 + 2_012)).toBe(0)
    expect(limit.retryAfter('colleague', '10.0.0.66', T0 + 2_012)).toBe(0)
  })

  it('never exceeds the longest wait, and forgets after the window', () => {
    const limit = limits()
    for (let i = 0; i < 40; i++) limit.recordFailure('victim', '10.0.0.66', T0)
    expect(limit.retryAfter('victim', '10.0.0.66', T0)).toBe(300)
    expect(limit.retryAfter('victim', '10.0.0.66', T0 + 900_000)).toBe(0)
  })

  it('an address guessing many names gets one try per name, and a name it has not tried stays open', () => {
    const limit = limits()
    for (let n = 0; n < 20; n++) limit.recordFailure(`user-${n}`, '10.0.0.66', T0)
    // Spraying: one more failure on any name starts that pair's backoff at once ...
    expect(limit.retryAfter('user-3', '10.0.0.66', T0 + 1)).toBe(2)
    // ... while a colleague behind the same gateway who has not failed signs in.
    expect(limit.retryAfter('colleague', '10.0.0.66', T0 + 1)).toBe(0)
    limit.recordSuccess('colleague', '10.0.0.66')
    expect(limit.retryAfter('colleague', '10.0.0.66', T0 + 2)).toBe(0)
  })

  it('audits a slowed pair\'s refusals once a minute, counting the rest', () => {
    const limit = limits()
    const written = Array.from({ length: 30 }, (_, i) => limit.auditRefusal('victim', '10.0.0.66', T0 + i * 1000))
    expect(written.filter((audit) => audit.write)).toHaveLength(1)
    // Another pair is written on its own.
    expect(limit.auditRefusal('victim', '10.0.0.7', T0 + 5_000).write).toBe(true)
    // A minute after the first row: written, with the 29 refusals not written in between.
    expect(limit.auditRefusal('victim', '10.0.0.66', T0 + 60_000)).toEqual({ write: true, alsoRefused: 29 })
  })
})
