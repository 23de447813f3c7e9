/**
 * Number and date formatting for the wall: amounts arrive in yuan and are shown in 亿元/万元,
 * counts in 万人次/万人 once they pass ten thousand, dates in Chinese with Beijing time whatever
 * the wall computer's time zone is.
 */

export interface Formatted {
  /** the digits, e.g. '118.72' */
  text: string
  /** the unit shown beside them, e.g. '亿元' */
  unit: string
}

const TEN_THOUSAND = 1e4
const HUNDRED_MILLION = 1e8

function fixed(value: number, digits: number): string {
  return value.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** Yuan → 亿元 (2 decimals) / 万元 (2 decimals) / 元 (whole, with 0.xx kept for small sums). */
export function formatAmount(yuan: number): Formatted {
  const abs = Math.abs(yuan)
  if (abs >= HUNDRED_MILLION) return { text: fixed(yuan / HUNDRED_MILLION, 2), unit: '亿元' }
  if (abs >= TEN_THOUSAND) return { text: fixed(yuan / TEN_THOUSAND, 2), unit: '万元' }
  return { text: fixed(yuan, Number.isInteger(yuan) ? 0 : 2), unit: '元' }
}

/**
 * A formatter for a whole column of a ranking: the unit is chosen once, by the largest value, so a
 * column never mixes 亿元 and 万元 (1.2亿元 above 9,800.00万元 reads as the smaller number).
 */
export function columnFormatter(values: number[], unit: string | undefined): (value: number) => string {
  const largest = values.reduce((max, value) => Math.max(max, Math.abs(value)), 0)
  const { unit: shared } = formatValue(largest, unit)
  if (unit === '元' && shared === '亿元') return (value) => `${fixed(value / HUNDRED_MILLION, 2)}亿元`
  if (unit === '元' && shared === '万元') return (value) => `${fixed(value / TEN_THOUSAND, 2)}万元`
  if ((unit === '人次' || unit === '人') && shared === `万${unit}`) return (value) => `${fixed(value / TEN_THOUSAND, 2)}万${unit}`
  return (value) => formatValueText(value, unit)
}

/** A count with its base unit ('人次', '人', '笔', …): ≥ 1万 as 万人次 with 2 decimals, ≥ 1亿 as 亿. */
export function formatCount(count: number, unit: string): Formatted {
  const abs = Math.abs(count)
  if (abs >= HUNDRED_MILLION) return { text: fixed(count / HUNDRED_MILLION, 2), unit: `亿${unit}` }
  if (abs >= TEN_THOUSAND && (unit === '人次' || unit === '人')) return { text: fixed(count / TEN_THOUSAND, 2), unit: `万${unit}` }
  return { text: fixed(Math.round(count), 0), unit }
}

/** A percentage already in percent (99.95 → '99.95'): two decimals near 100, one otherwise. */
export function formatPercent(percent: number): Formatted {
  const digits = Math.abs(percent) >= 99 && Math.abs(percent) < 100 ? 2 : 1
  return { text: fixed(percent, digits), unit: '%' }
}

/** Formats a value for a panel unit (the dashboard's `unit`); amounts are in yuan. */
export function formatValue(value: number, unit: string | undefined): Formatted {
  if (!Number.isFinite(value)) return { text: '—', unit: unit ?? '' }
  switch (unit) {
    case '元':
      return formatAmount(value)
    case '万元':
      return { text: fixed(value / TEN_THOUSAND, 2), unit: '万元' }
    case '亿元':
      return { text: fixed(value / HUNDRED_MILLION, 2), unit: '亿元' }
    case '%':
      return formatPercent(value)
    case '天':
      return { text: fixed(value, 1), unit: '天' }
    case '万人':
    case '万人次':
      return { text: fixed(value / TEN_THOUSAND, 2), unit }
    case undefined:
      return { text: fixed(value, Number.isInteger(value) ? 0 : 2), unit: '' }
    default:
      return formatCount(value, unit)
  }
}

/** One string, e.g. '118.72亿元' (for tooltips, tables and CSV headers). */
export function formatValueText(value: number, unit: string | undefined): string {
  const { text, unit: shown } = formatValue(value, unit)
  return `${text}${shown}`
}

/** Short axis labels: 1.2亿, 350万, 9,800. Units stay in the axis name. */
export function formatAxis(value: number, unit: string | undefined): string {
  if (unit === '%') return `${fixed(value, 0)}%`
  const abs = Math.abs(value)
  if (abs >= HUNDRED_MILLION) return `${trim(value / HUNDRED_MILLION)}亿`
  if (abs >= TEN_THOUSAND) return `${trim(value / TEN_THOUSAND)}万`
  return fixed(value, 0)
}

function trim(value: number): string {
  return Number(value.toFixed(Math.abs(value) >= 100 ? 0 : 1)).toLocaleString('zh-CN')
}

const beijing = 'Asia/Shanghai'

function parts(date: Date): Record<string, string> {
  const formatter = new Intl.DateTimeFormat('en-GB', {
    timeZone: beijing, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  })
  return Object.fromEntries(formatter.formatToParts(date).map((part) => [part.type, part.value]))
}

/**
 * Whether the data's newest time falls on an earlier Beijing day than `now` (a seeded history, a
 * weekend, a resting feed): deadlines run on the clock, so the wall says so beside the date.
 */
export function isDataBehindToday(asOf: string | number | Date | null | undefined, now: Date): boolean {
  const date = toDate(asOf)
  if (!date) return false
  const day = (d: Date) => { const p = parts(d); return `${p.year}${p.month}${p.day}` }
  return day(date) < day(now)
}

/** '2024年10月22日 14:05:09' in Beijing time; '—' for missing or invalid input. */
export function formatDateTime(input: string | number | Date | null | undefined): string {
  const date = toDate(input)
  if (!date) return '—'
  const p = parts(date)
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}:${p.second}`
}

/** '10月22日 14:05' — for panel footers where the year is obvious. */
export function formatShortDateTime(input: string | number | Date | null | undefined): string {
  const date = toDate(input)
  if (!date) return '—'
  const p = parts(date)
  return `${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}:${p.second}`
}

const weekdays = ['日', '一', '二', '三', '四', '五', '六']

/** '2024年10月22日 星期二' for the title bar. */
export function formatDateWithWeekday(input: Date): string {
  const p = parts(input)
  const weekday = new Date(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day))).getUTCDay()
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 星期${weekdays[weekday]}`
}

/** 'HH:MM:SS' Beijing time. */
export function formatClock(input: Date): string {
  const p = parts(input)
  return `${p.hour}:${p.minute}:${p.second}`
}

/** A period 'YYYYMM' as '2024年10月'; anything else is returned unchanged. */
export function formatPeriod(period: string): string {
  const match = /^(\d{4})(\d{2})$/.exec(period)
  return match ? `${match[1]}年${Number(match[2])}月` : period
}

/** '3分钟前' style age for freshness hints. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))}秒前`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}分钟前`
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}小时前`
  return `${Math.floor(seconds / 86400)}天前`
}

function toDate(input: string | number | Date | null | undefined): Date | null {
  if (input === null || input === undefined || input === '') return null
  const date = input instanceof Date ? input : new Date(input)
  return Number.isNaN(date.getTime()) ? null : date
}
