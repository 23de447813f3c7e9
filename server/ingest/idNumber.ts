import { beijingDay } from '../beijingTime'
/**
 * 居民身份证号 (GB 11643-1999): 6-digit region of first registration, 8-digit birth date,
 * 3-digit sequence (odd = 男, even = 女) and one check character over the first 17 digits.
 *
 * The one home of the checksum: the TypeScript check for ingest validation, masking and the personal
 * data scan, and the same check as SQL for the data-quality rule (R24) and the demo generator.
 * Problems are described without ever repeating the number itself, so they are safe in API errors
 * and logs.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARACTERS = '10X98765432'
/** Nobody alive was born before this (the oldest plausible age is far below 125 years). */
const EARLIEST_BIRTH_YEAR = 1900

export interface IdNumberFacts {
  /** region code of first registration (not necessarily where the person lives now) */
  regionCode: string
  /** YYYY-MM-DD */
  birthDate: string
  gender: '男' | '女'
}

/** The check character (0–9 or X) for the first 17 digits. */
export function checkCharacterOf(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK_CHARACTERS[sum % 11]
}

/** Whether an 18-character number's last character is the check character of its first 17 digits (x accepted for X). */
export function hasValidChecksum(id: string): boolean {
  return /^[0-9]{17}[0-9Xx]$/.test(id) && checkCharacterOf(id) === id[17].toUpperCase()
}

/**
 * SQL: the check index (0–10, the weighted sum of the 17 digits mod 11) of a string expression
 * whose first 17 characters are the digits. A non-digit counts as 0 (R24 reads raw data).
 */
export function checkIndexSql(first17: string): string {
  return `(arraySum(arrayMap((i, w) -> toUInt8OrZero(substring(${first17}, i, 1)) * w, range(1, 18), [${WEIGHTS.join(', ')}])) % 11)`
}

/** SQL: the check character ('0'–'9' or 'X') at a check index expression (0–10). */
export function checkCharacterAtSql(index: string): string {
  return `substring('${CHECK_CHARACTERS}', (${index}) + 1, 1)`
}

/** SQL: the check character of a string expression's first 17 digits (checkCharacterOf in SQL). */
export function checkCharacterSql(first17: string): string {
  return checkCharacterAtSql(checkIndexSql(first17))
}

/**
 * Why `id` is not a valid 18-character 身份证号, or null when it is. The birth date must be a real
 * calendar date between 1900 and `today`.
 */
export function idNumberProblem(id: string, today?: Date): string | null {
  if (id.length !== 18) return 'must be 18 characters'
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return 'must be 17 digits (not starting with 0) and a digit or upper-case X'
  const birth = birthDateOf(id)
  if (!birth) return 'birth date (digits 7–14) is not a real date'
  if (Number(birth.slice(0, 4)) < EARLIEST_BIRTH_YEAR) return 'birth date (digits 7–14) is before 1900'
  if (birth > (today ? beijingDay(today) : todayInChina())) return 'birth date (digits 7–14) is in the future'
  if (checkCodeOf(id) !== id.charCodeAt(17)) return 'checksum digit wrong'
  return null
}

/** Region, birth date and gender of a valid number; null for an invalid one. */
export function parseIdNumber(id: string, today?: Date): IdNumberFacts | null {
  if (idNumberProblem(id, today) !== null) return null
  return {
    regionCode: id.slice(0, 6),
    birthDate: birthDateOf(id)!,
    gender: Number(id[16]) % 2 === 1 ? '男' : '女',
  }
}

/** checkCharacterOf for a text whose first 17 characters are known digits, as a character code (no Number() per digit). */
function checkCodeOf(id: string): number {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * WEIGHTS[i]
  return CHECK_CHARACTERS.charCodeAt(sum % 11)
}

/** YYYY-MM-DD from digits 7–14 (known digits) when they form a real calendar date, else null. */
function birthDateOf(id: string): string | null {
  const year = (id.charCodeAt(6) - 48) * 1000 + (id.charCodeAt(7) - 48) * 100 + (id.charCodeAt(8) - 48) * 10 + id.charCodeAt(9) - 48
  const month = (id.charCodeAt(10) - 48) * 10 + id.charCodeAt(11) - 48
  const day = (id.charCodeAt(12) - 48) * 10 + id.charCodeAt(13) - 48
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return DAYS_IN_MONTH[month - 1]
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

// Batches check tens of thousands of numbers; today's date is worked out once a minute, not per number.
let today = { until: 0, date: '' }
function todayInChina(): string {
  const now = Date.now()
  if (now >= today.until) today = { until: now + 60_000, date: beijingDay(now) }
  return today.date
}
