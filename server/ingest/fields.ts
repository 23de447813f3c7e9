import { z } from 'zod'
import { getRegion } from '../../geo/regions'
import { departments, isKnownProject } from '../catalogue'
import { daysInMonth, idNumberProblem } from './idNumber'
import { ingestLimits } from './limits'
import { beijingDateTime, beijingDay } from '../beijingTime'

/**
 * Field types shared by the feed record schemas. Each parses to the exact text ClickHouse reads
 * for its column (amounts as 'N.NN', dates as 'YYYY-MM-DD', times as 'YYYY-MM-DD HH:mm:ss' in
 * Asia/Shanghai), so the normalized record is both what is hashed and what is inserted.
 * Messages describe the problem and never repeat the value: some values are personal data.
 */

/**
 * Identifiers of records in other systems (detail, plan, voucher, document numbers): printable
 * ASCII, Chinese characters and CJK punctuation (内财社〔2024〕1号). Nothing invisible, and nothing
 * that looks like another character: a full-width Ｄ, a Cyrillic А or a compatibility ideograph
 * would make two ids that read the same compare different.
 */
export const ID_CHARACTERS = /^[\x21-\x7E\p{Script=Han}\u3001-\u303F]{1,64}$/u
export const recordId = () =>
  z
    .string()
    .regex(ID_CHARACTERS, 'must be 1–64 ASCII letters, digits, signs or Chinese characters, without spaces, invisible or look-alike characters')
    .refine((value) => value === value.normalize('NFKC'), 'must not contain look-alike characters (full-width forms, compatibility ideographs)')

/**
 * Control and format characters (zero-width space, BOM, direction marks), private-use and
 * unassigned code points, and unpaired UTF-16 halves (lone surrogates, which the database
 * refuses). Line breaks and tabs are allowed in free text.
 */
export const HIDDEN = /[^\P{C}\n\t]/u

/** Identifier that may be empty where the relation is absent (e.g. `reissue_of`). */
export const optionalRecordId = () => z.union([z.literal(''), recordId()])

export const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !HIDDEN.test(value), 'must not contain control, invisible or unpaired (lone surrogate) characters')

/**
 * A person's name as on the 身份证: Chinese characters with the middle dot of minority names
 * (阿依古丽·买买提), or Latin letters. Nothing invisible, no digits, no look-alikes from other
 * scripts, so one person is not two in per-person rules.
 */
export const PERSON_NAME = /^(?:[\p{Script=Han}〇]+(?:·[\p{Script=Han}〇]+)*|[A-Za-z]+(?:[ .'-][A-Za-z]+)*)$/u
export const personName = (options: { mayBeEmpty?: boolean } = {}) =>
  z
    .string()
    .max(50, 'must be at most 50 characters')
    .refine(
      (value) => (options.mayBeEmpty && value === '') || (PERSON_NAME.test(value) && value === value.normalize('NFKC')),
      options.mayBeEmpty ? 'must be empty or a name in Chinese characters (· between parts) or Latin letters' : 'must be a name in Chinese characters (· between parts) or Latin letters',
    )

export const nonEmptyText = (max: number) => text(max).min(1, 'must not be empty')

/** A 身份证号 with a valid checksum and a real birth date. */
export const idNumber = () => idNumberField(false)

/** Empty when there is no such person (no proxy holder), otherwise a valid 身份证号. */
export const optionalIdNumber = () => idNumberField(true)

function idNumberField(mayBeEmpty: boolean) {
  return z.string().superRefine((value, ctx) => {
    if (mayBeEmpty && value === '') return
    const problem = idNumberProblem(value)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
}

/** Amount in yuan, ≥ 0 with at most two decimals, sent as a JSON number or a decimal string. */
export const money = (maxYuan: number) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const checked = checkMoney(value, maxYuan)
    if (checked.ok) return checked.value
    ctx.addIssue({ code: 'custom', message: checked.problem })
    return z.NEVER
  })

/** The amount as ClickHouse reads it ('1234.50'), or why it is refused (shared with the fused validator). */
export function checkMoney(value: number | string, maxYuan: number): { ok: true; value: string } | { ok: false; problem: string } {
  const written = typeof value === 'number' ? String(value) : value
  // /^(-?)(\d{1,15})(?:\.(\d+))?$/ read by hand: amounts are checked tens of thousands of times a batch.
  const sign = written.charCodeAt(0) === 45 /* - */ ? 1 : 0
  const wholeEnd = digitsEnd(written, sign)
  const point = wholeEnd < written.length && written.charCodeAt(wholeEnd) === 46 /* . */
  const fractionEnd = point ? digitsEnd(written, wholeEnd + 1) : wholeEnd
  const wholeDigits = wholeEnd - sign
  if (wholeDigits < 1 || wholeDigits > 15 || fractionEnd !== written.length || (point && fractionEnd === wholeEnd + 1)) {
    return { ok: false, problem: 'must be a plain decimal amount such as 1234.50' }
  }
  const whole = written.slice(sign, wholeEnd)
  const fraction = point ? written.slice(wholeEnd + 1) : ''
  // Leading zeros dropped (BigInt keeps digits beyond a double's precision); most amounts have none.
  const normalized = `${whole.length === 1 || whole.charCodeAt(0) !== 48 ? whole : BigInt(whole)}.${fraction.padEnd(2, '0')}`
  if (sign && Number(normalized) !== 0) return { ok: false, problem: 'must be ≥ 0' }
  if (fraction.length > 2) return { ok: false, problem: 'must have at most two decimals' }
  if (Number(normalized) > maxYuan) return { ok: false, problem: `must be at most ${maxYuan} yuan` }
  return { ok: true, value: normalized }
}

/** Where the run of ASCII digits starting at `from` ends. */
function digitsEnd(text: string, from: number): number {
  let at = from
  while (at < text.length && isDigitCode(text.charCodeAt(at))) at++
  return at
}

const isDigitCode = (code: number) => code >= 48 && code <= 57

/** Whole cents of a normalized amount ('1234.50' → 123450), exact for any amount we accept. */
export function centsOf(amount: string): number {
  const point = amount.indexOf('.')
  return point < 0 ? Number.NaN : Number(amount.slice(0, point)) * 100 + Number(amount.slice(point + 1))
}

/** A calendar date. Business dates default to 2000–2099, which also keeps them inside ClickHouse's Date range. */
export const date = (range: { from: string; to: string } = { from: '2000-01-01', to: '2099-12-31' }) =>
  z
    .string()
    .refine(isRealDate, 'must be a real date YYYY-MM-DD')
    .refine((value) => value >= range.from && value <= range.to, `must lie between ${range.from} and ${range.to}`)

/**
 * A moment in the business records (approval steps, workflow events): a real time, not before
 * 2000 and not after now plus the clock slack. Without the range, 1900 or 9999 would be stored as
 * 1970 or 2106 (the column's limits) without a word.
 */
export const dateTime = () =>
  z
    .string()
    .refine(isRealDateTime, 'must be a real time YYYY-MM-DD HH:mm:ss (Asia/Shanghai)')
    .refine(
      (value) => !isRealDateTime(value) || (value >= ingestLimits.earliestApprovalTime && value <= clock().latestEventTime),
      `must lie between ${ingestLimits.earliestApprovalTime.slice(0, 10)} and one day from now`,
    )

/** When a payment or approval happened: not before 一卡通 payments began, not (much) in the future. */
export const eventTime = () =>
  z.string().refine(isRealDateTime, 'must be a real time YYYY-MM-DD HH:mm:ss (Asia/Shanghai)').refine(
    (value) => !isRealDateTime(value) || (value >= ingestLimits.earliestPayTime && value <= clock().latestEventTime),
    `must lie between ${ingestLimits.earliestPayTime} and one day from now`,
  )

/**
 * The present as the checks need it, refreshed once a second rather than per record (a batch holds
 * tens of thousands). Times compare as text: 'YYYY-MM-DD HH:mm:ss' sorts like time.
 */
let snapshot = { until: 0, latestEventTime: '', year: 0 }
export function clock(): typeof snapshot {
  const now = Date.now()
  if (now >= snapshot.until) {
    snapshot = { until: now + 1000, latestEventTime: beijingDateTime(now + ingestLimits.futureSlackMs), year: Number(beijingDay(now).slice(0, 4)) }
  }
  return snapshot
}

/** A month YYYYMM between 2018 and next year (periods may be paid a little in advance). */
export const period = () =>
  z
    .number()
    .int('must be a whole number YYYYMM')
    .refine((value) => {
      const year = Math.floor(value / 100)
      const month = value % 100
      return month >= 1 && month <= 12 && year >= 2018 && year <= clock().year + 1
    }, 'must be a month YYYYMM from 201801 to next year')

export const fiscalYear = () =>
  z
    .number()
    .int()
    .refine((year) => year >= 2018 && year <= clock().year + 1, 'must be a year from 2018 to next year')

export const projectCode = () => z.string().refine(isKnownProject, 'is not a project in the catalogue')

export const department = () => z.enum(departments, { error: 'is not a department in the catalogue' })

export const gender = () => z.enum(['男', '女'])
export const fundLevel = () => z.enum(['中央', '省', '市', '县'])
export const flag = () => z.union([z.literal(0), z.literal(1)], { error: 'must be 0 or 1' })

interface RegionFields {
  county_code: string
  town_code?: string
  village_code?: string
}

/**
 * Region codes known to geo/regions and nested as the record claims: the town lies in the county
 * and the village in the town. Budget records (no town) may name the city itself.
 */
export function checkRegionChain(record: RegionFields, ctx: z.RefinementCtx, options: { allowCity?: boolean } = {}): void {
  const county = getRegion(record.county_code)
  const countyLevels = options.allowCity ? ['county', 'city'] : ['county']
  if (!county || !countyLevels.includes(county.level)) {
    ctx.addIssue({ code: 'custom', path: ['county_code'], message: `is not a known ${options.allowCity ? 'city or county' : 'county'} code` })
    return
  }
  if (record.town_code === undefined) return
  const town = getRegion(record.town_code)
  if (!town || town.level !== 'town') {
    ctx.addIssue({ code: 'custom', path: ['town_code'], message: 'is not a known town code' })
    return
  }
  if (town.parent !== county.code) {
    ctx.addIssue({ code: 'custom', path: ['town_code'], message: 'town does not lie in county_code' })
    return
  }
  if (record.village_code === undefined) return
  const village = getRegion(record.village_code)
  if (!village || village.level !== 'village') {
    ctx.addIssue({ code: 'custom', path: ['village_code'], message: 'is not a known village code' })
  } else if (village.parent !== town.code) {
    ctx.addIssue({ code: 'custom', path: ['village_code'], message: 'village does not lie in town_code' })
  }
}

// Dates and times are read by hand, not by regex and Number(): a batch holds ten of them per record.

/** 'YYYY-MM-DD', a real calendar date (digits are ASCII 0–9 only). */
export function isRealDate(value: string): boolean {
  return value.length === 10 && isRealDateAt(value)
}

/** 'YYYY-MM-DD HH:mm:ss', a real date and a time of day up to 23:59:59. */
export function isRealDateTime(value: string): boolean {
  if (value.length !== 19 || value.charCodeAt(10) !== 32 || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) return false
  if (!isRealDateAt(value)) return false
  const hour = twoDigits(value, 11)
  const minute = twoDigits(value, 14)
  const second = twoDigits(value, 17)
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59
}

/** Whether the text's first 10 characters are a real date YYYY-MM-DD. */
function isRealDateAt(value: string): boolean {
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false
  const century = twoDigits(value, 0)
  const yearOfCentury = twoDigits(value, 2)
  const month = twoDigits(value, 5)
  const day = twoDigits(value, 8)
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1) return false
  return day <= daysInMonth(century * 100 + yearOfCentury, month)
}

/** The number written by two ASCII digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at)
  const ones = text.charCodeAt(at + 1)
  return isDigitCode(tens) && isDigitCode(ones) ? (tens - 48) * 10 + ones - 48 : -1
}
