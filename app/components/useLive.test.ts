import { describe, expect, it } from 'vitest'
import { fullRetryDelay } from './useLive'

describe('retry after a full server', () => {
  it("starts at the server's hint, doubles per refusal up to 5 minutes, and spreads walls by ±25 %", () => {
    const mid = () => 0.5
    expect([0, 1, 2, 3, 10].map((n) => fullRetryDelay(10_000, n, mid))).toEqual([10_000, 20_000, 40_000, 80_000, 300_000])
    expect(fullRetryDelay(10_000, 0, () => 0)).toBe(7_500)
    expect(fullRetryDelay(10_000, 0, () => 0.999999)).toBe(12_500)
    // no hint, or a hint too small to be meant: never a tight loop
    expect(fullRetryDelay(undefined, 0, mid)).toBe(10_000)
    expect(fullRetryDelay(0, 0, mid)).toBe(1_000)
  })
})
