import { describe, expect, it } from 'vitest'
import { beijingClock, beijingDateTime, beijingDateTimeMs, beijingDay, beijingMonth, beijingMonthBefore, isoFromBeijing, msFromBeijing } from './beijingTime'

describe('Beijing time', () => {
  // 2024-12-31 16:30:05.250 UTC is already 2025-01-01 00:30 in Beijing.
  const newYear = Date.UTC(2024, 11, 31, 16, 30, 5, 250)

  it('turns the day, month and year at Beijing midnight, not UTC midnight', () => {
    expect(beijingDay(newYear)).toBe('2025-01-01')
    expect(beijingDay(newYear - 3600_000)).toBe('2024-12-31')
    expect(beijingMonth(newYear)).toBe(202501)
    expect(beijingMonthBefore(newYear)).toBe(202412)
    expect(beijingMonthBefore(Date.UTC(2025, 6, 15))).toBe(202506)
    expect(beijingClock(newYear)).toBe('00:30')
  })

  it('writes DateTime text that reads back as the same instant', () => {
    expect(beijingDateTime(newYear)).toBe('2025-01-01 00:30:05')
    expect(beijingDateTimeMs(new Date(newYear))).toBe('2025-01-01 00:30:05.250')
    expect(msFromBeijing(beijingDateTimeMs(newYear))).toBe(newYear)
    expect(isoFromBeijing('2025-01-01 00:30:05')).toBe('2024-12-31T16:30:05.000Z')
  })
})
