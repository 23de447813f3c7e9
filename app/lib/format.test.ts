import { describe, expect, it } from 'vitest'
import {
  formatAge, formatAmount, formatAxis, formatClock, formatCount, formatDateTime, formatDateWithWeekday, formatPercent, formatPeriod, formatValue,
  isDataBehindToday,
} from './format'

describe('amounts', () => {
  it('shows the article figures the way the article does', () => {
    expect(formatAmount(11_872_000_000)).toEqual({ text: '118.72', unit: '亿元' })
    expect(formatAmount(135_200)).toEqual({ text: '13.52', unit: '万元' })
    expect(formatAmount(723_400)).toEqual({ text: '72.34', unit: '万元' })
    expect(formatAmount(9_876)).toEqual({ text: '9,876', unit: '元' })
    expect(formatAmount(143.5)).toEqual({ text: '143.50', unit: '元' })
    expect(formatAmount(-250_000_000)).toEqual({ text: '-2.50', unit: '亿元' })
  })
  it('converts to a fixed unit when the panel asks for one', () => {
    expect(formatValue(68_000, '万元')).toEqual({ text: '6.80', unit: '万元' })
    expect(formatValue(Number.NaN, '元').text).toBe('—')
  })
})

describe('counts and percentages', () => {
  it('uses 万人次 and 万人 past ten thousand', () => {
    expect(formatCount(39_850_000, '人次')).toEqual({ text: '3,985.00', unit: '万人次' })
    expect(formatCount(1_725_100, '人')).toEqual({ text: '172.51', unit: '万人' })
    expect(formatCount(1441, '人')).toEqual({ text: '1,441', unit: '人' })
    expect(formatCount(280_000, '条')).toEqual({ text: '280,000', unit: '条' })
  })
  it('keeps two decimals near 100%', () => {
    expect(formatPercent(99.95)).toEqual({ text: '99.95', unit: '%' })
    expect(formatPercent(62.345)).toEqual({ text: '62.3', unit: '%' })
    expect(formatValue(100, '%')).toEqual({ text: '100.0', unit: '%' })
  })
  it('writes compact axis labels', () => {
    expect(formatAxis(350_000_000, '元')).toBe('3.5亿')
    expect(formatAxis(1_200_000, '元')).toBe('120万')
    expect(formatAxis(45, '%')).toBe('45%')
  })
})

describe('dates in Chinese, Beijing time', () => {
  it('formats an ISO instant regardless of the machine zone', () => {
    expect(formatDateTime('2024-10-22T06:05:09Z')).toBe('2024年10月22日 14:05:09')
    expect(formatClock(new Date('2024-10-22T16:00:00Z'))).toBe('00:00:00')
    expect(formatDateWithWeekday(new Date('2024-10-22T06:00:00Z'))).toBe('2024年10月22日 星期二')
    expect(formatDateTime(null)).toBe('—')
    expect(formatDateTime('not a date')).toBe('—')
  })
  it('tells when the newest data is from an earlier Beijing day than the clock', () => {
    const now = new Date('2024-10-22T16:30:00Z') // 10月23日 00:30 in Beijing
    expect(isDataBehindToday('2024-10-22T15:59:00Z', now)).toBe(true) // 10月22日 23:59
    expect(isDataBehindToday('2024-10-22T16:01:00Z', now)).toBe(false)
    expect(isDataBehindToday(null, now)).toBe(false)
  })
  it('formats periods and ages', () => {
    expect(formatPeriod('202407')).toBe('2024年7月')
    expect(formatAge(42)).toBe('42秒前')
    expect(formatAge(3 * 3600 + 5)).toBe('3小时前')
  })
})

describe('columnFormatter', () => {
  it('keeps one unit down a ranking column, chosen by its largest value', async () => {
    const { columnFormatter } = await import('./format')
    const format = columnFormatter([120_000_000, 98_000_000, 5_000], '元')
    expect([120_000_000, 98_000_000, 5_000].map(format)).toEqual(['1.20亿元', '0.98亿元', '0.00亿元'])
    expect(columnFormatter([52_000, 800], '人次')(800)).toBe('0.08万人次')
    expect(columnFormatter([95, 40], '%')(40)).toBe('40.0%')
  })
})
