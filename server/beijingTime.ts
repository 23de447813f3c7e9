/**
 * Beijing time (Asia/Shanghai, UTC+8 all year, no daylight saving): the one home of the offset on
 * the server. Days, months and stored date-times are Beijing's whatever the server's TZ is, and
 * the DateTime columns are declared 'Asia/Shanghai', so text written here reads back as the same
 * instant. (The pages format with Intl and the same zone name: app/lib/format.ts.)
 */
export const BEIJING_OFFSET_MS = 8 * 3600_000

const shifted = (at: number | Date) => new Date((typeof at === 'number' ? at : at.getTime()) + BEIJING_OFFSET_MS).toISOString()

/** 'YYYY-MM-DD' in Beijing. */
export function beijingDay(at: number | Date = Date.now()): string {
  return shifted(at).slice(0, 10)
}

/** YYYYMM in Beijing. */
export function beijingMonth(at: number | Date = Date.now()): number {
  const day = beijingDay(at)
  return Number(day.slice(0, 4)) * 100 + Number(day.slice(5, 7))
}

/** YYYYMM of the month before the one `at` falls in, in Beijing (the demo's last paid period). */
export function beijingMonthBefore(at: number | Date = Date.now()): number {
  const month = beijingMonth(at)
  return month % 100 === 1 ? month - 100 + 11 : month - 1
}

/** 'HH:MM' in Beijing. */
export function beijingClock(at: number | Date = Date.now()): string {
  return shifted(at).slice(11, 16)
}

/** 'YYYY-MM-DD HH:MM:SS' in Beijing: DateTime text for inserts and parameters (ingest, feeds). */
export function beijingDateTime(at: number | Date = Date.now()): string {
  return shifted(at).slice(0, 19).replace('T', ' ')
}

/** 'YYYY-MM-DD HH:MM:SS.mmm' in Beijing: DateTime64(3) text for inserts and parameters. */
export function beijingDateTimeMs(at: number | Date = Date.now()): string {
  return shifted(at).slice(0, 23).replace('T', ' ')
}

/** Milliseconds since epoch of a DateTime(64) text read back from an 'Asia/Shanghai' column. */
export function msFromBeijing(text: string): number {
  return Date.parse(text.replace(' ', 'T') + '+08:00')
}

/** ISO 8601 (UTC) of a DateTime(64) text read back from an 'Asia/Shanghai' column. */
export function isoFromBeijing(text: string): string {
  return new Date(msFromBeijing(text)).toISOString()
}
