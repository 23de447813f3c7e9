import { getRegion } from '../../../geo/regions'
import { departments, isKnownProject } from '../../catalogue'
import { checkMoney, clock, HIDDEN, ID_CHARACTERS, isRealDate, isRealDateTime, PERSON_NAME } from '../fields'
import { paymentRecord } from '../feeds/payments'
import { idNumberProblem } from '../idNumber'
import { ingestLimits } from '../limits'

/**
 * The payments record schema (feeds/payments.ts) as one hand-written pass: it decides whether zod
 * would accept the record and, if so, writes what zod's output would serialize to, without
 * building the output object. It accepts exactly what the schema accepts (server/ingest/test/
 * fusedPayment.test.ts compares both on valid, invalid and hostile records); a record it refuses is
 * given to the schema, whose issues name the problems, so messages are the schema's own. Shared
 * primitives (regexes, money, dates, 身份证号, regions) come from the same modules as the schema.
 */

/** The columns of payment_detail the feed sends, in the schema's key order (= its output order). */
export const PAYMENT_COLUMNS: readonly string[] = Object.keys(paymentRecord.def.shape)
const COLUMN_SET = new Set(PAYMENT_COLUMNS)
/**
 * Columns whose value is not always a JSON string (numbers, nullable times and dates, the hit
 * list). Every other value is written without its quotes, which the fixed pieces between values
 * carry: the pieces of a line are then all flat strings, and join() copies each once.
 */
const NOT_STRINGS = new Set(['period', 'proxy_held', 'applied_at', 'village_reviewed_at', 'town_reviewed_at', 'county_decided_at', 'city_managed_at', 'publicity_start', 'publicity_end', 'prereview_hits'])
const quoteOf = (i: number) => (i >= 0 && i < PAYMENT_COLUMNS.length && !NOT_STRINGS.has(PAYMENT_COLUMNS[i]) ? '"' : '')
/** What comes before value i of an object line (`{"detail_id":"`, `","period":`, …), and at [n] its end. */
const OBJECT_PIECES = [...PAYMENT_COLUMNS.keys(), PAYMENT_COLUMNS.length].map((i) =>
  i === PAYMENT_COLUMNS.length ? `${quoteOf(i - 1)}}` : `${i === 0 ? '{' : `${quoteOf(i - 1)},`}${JSON.stringify(PAYMENT_COLUMNS[i])}:${quoteOf(i)}`,
)
const DEPARTMENTS = new Set<string>(departments)
const STATUSES = new Set(['成功', '失败', '退回', '在途'])
const FUND_LEVELS = new Set(['中央', '省', '市', '县'])
const GENDERS = new Set(['男', '女'])
const CARD = /^\d{12,19}$/
const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})?$/
const RULE_ID = /^[A-Za-z0-9_-]{1,16}$/
const MAX_PAYMENT = ingestLimits.maxPaymentYuan

export interface FusedPayment {
  /** JSON.stringify of the schema's output (the content hash's canonical form) */
  objectLine: string
  /** the output's values in schema order (a RowBinary row without batch_id: ../rowBinary.ts) */
  values: unknown[]
  amountPaid: string
  payTime: string
  county: string
  town: string
  village: string
  status: string
  reissueOf: string
}

const isString = (value: unknown): value is string => typeof value === 'string'
/**
 * Whether NFKC leaves the text as it is. ASCII and the CJK unified ideographs (with 〇 · 、 。 〔 〕)
 * have no decomposition and compose with nothing, so text made of them only does not pay for
 * normalize() (ICU, a microsecond a call); anything else asks it.
 */
function nfkcStable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x80 || (code >= 0x4e00 && code <= 0x9fff)) continue
    if (code === 0x3007 || code === 0xb7 || code === 0x3001 || code === 0x3002 || code === 0x3014 || code === 0x3015) continue
    return value === value.normalize('NFKC')
  }
  return true
}

/**
 * JSON.stringify of a string without its quotes: the text itself unless it holds a quote, a
 * backslash, a control character or a surrogate (escaped, or kept only as a valid pair), which the
 * few such values get from JSON.stringify. A call of JSON.stringify costs more than this loop.
 */
function escaped(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return JSON.stringify(value).slice(1, -1)
  }
  return value
}
const isRecordId = (value: unknown): value is string => isString(value) && ID_CHARACTERS.test(value) && nfkcStable(value)
const isOptionalRecordId = (value: unknown): value is string => value === '' || isRecordId(value)
const isText = (value: unknown, max: number): value is string => isString(value) && value.length <= max && !HIDDEN.test(value)
const isName = (value: unknown, mayBeEmpty: boolean): value is string =>
  isString(value) && value.length <= 50 && ((mayBeEmpty && value === '') || (PERSON_NAME.test(value) && nfkcStable(value)))
const isIdNumber = (value: unknown, mayBeEmpty: boolean): value is string => isString(value) && ((mayBeEmpty && value === '') || idNumberProblem(value) === null)
const isDate = (value: unknown, from: string, to: string): value is string => isString(value) && isRealDate(value) && value >= from && value <= to
const isTime = (value: unknown, from: string, latest: string): value is string =>
  isString(value) && isRealDateTime(value) && value >= from && value <= latest

function money(value: unknown, max: number): string | null {
  if (typeof value !== 'number' && typeof value !== 'string') return null
  // z.number() refuses NaN and ±Infinity before the transform sees them.
  if (typeof value === 'number' && !Number.isFinite(value)) return null
  // A whole number of yuan in range is written as its digits (String() of an integer below 1e21).
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max && max < 1e15) return `${value}.00`
  const checked = checkMoney(value, max)
  return checked.ok ? checked.value : null
}

/** null: absent or null (the schema's default); undefined: refused. */
function nullableTime(value: unknown, latest: string): string | null | undefined {
  if (value === undefined || value === null) return null
  return isTime(value, ingestLimits.earliestApprovalTime, latest) ? value : undefined
}

function nullableDate(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null
  return isDate(value, '2000-01-01', '2099-12-31') ? value : undefined
}

function period(value: unknown, thisYear: number): boolean {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return false
  const year = Math.floor(value / 100)
  const month = value % 100
  return month >= 1 && month <= 12 && year >= 2018 && year <= thisYear + 1
}

function ruleIds(value: unknown): string[] | null {
  if (value === undefined) return []
  if (!Array.isArray(value) || value.length > 124) return null
  for (let i = 0; i < value.length; i++) if (!isString(value[i]) || !RULE_ID.test(value[i])) return null
  return value as string[]
}

/** The record as the schema outputs it, serialized; null when the schema would refuse it. */
export function fusedPayment(raw: unknown): FusedPayment | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null
  const r = raw as Record<string, unknown>
  for (const key in r) if (!COLUMN_SET.has(key)) return null
  const now = clock()

  const { detail_id, period: month, project_code, dept, paying_unit, county_code, town_code, village_code, household_id } = r
  if (!isRecordId(detail_id) || !period(month, now.year) || !isString(project_code) || !isKnownProject(project_code)) return null
  if (!isString(dept) || !DEPARTMENTS.has(dept) || !isText(paying_unit, 100) || paying_unit.length === 0) return null
  if (!isString(county_code) || !isString(town_code) || !isString(village_code) || !isRecordId(household_id)) return null
  const { person_name, id_number, gender, birth_date, card_number, account_holder, holder_id_number, bank, phone } = r
  if (!isName(person_name, false) || !isIdNumber(id_number, false) || !isString(gender) || !GENDERS.has(gender)) return null
  if (!isDate(birth_date, '1900-01-01', '2099-12-31') || !isString(card_number) || !CARD.test(card_number)) return null
  if (!isName(account_holder, false) || !isIdNumber(holder_id_number, true) || !isText(bank, 50) || bank.length === 0) return null
  if (!isString(phone) || !PHONE.test(phone)) return null
  const baseQuantity = money(r.base_quantity, 1_000_000)
  const standard = money(r.standard, MAX_PAYMENT)
  const amountDue = money(r.amount_due, MAX_PAYMENT)
  const amountPaid = money(r.amount_paid, MAX_PAYMENT)
  if (baseQuantity === null || standard === null || amountDue === null || amountPaid === null) return null
  const { pay_time, status, failure_reason, reissue_of, plan_id, voucher_id, indicator_doc, fund_level, proxy_held } = r
  if (!isTime(pay_time, ingestLimits.earliestPayTime, now.latestEventTime) || !isString(status) || !STATUSES.has(status) || !isText(failure_reason, 200)) return null
  if (!isOptionalRecordId(reissue_of) || !isOptionalRecordId(plan_id) || !isOptionalRecordId(voucher_id) || !isOptionalRecordId(indicator_doc)) return null
  if (!isString(fund_level) || !FUND_LEVELS.has(fund_level) || (proxy_held !== 0 && proxy_held !== 1)) return null
  const { proxy_holder_id, proxy_holder_name } = r
  if (!isIdNumber(proxy_holder_id, true) || !isName(proxy_holder_name, true)) return null
  const appliedAt = nullableTime(r.applied_at, now.latestEventTime)
  const villageReviewedAt = nullableTime(r.village_reviewed_at, now.latestEventTime)
  const townReviewedAt = nullableTime(r.town_reviewed_at, now.latestEventTime)
  const countyDecidedAt = nullableTime(r.county_decided_at, now.latestEventTime)
  const cityManagedAt = nullableTime(r.city_managed_at, now.latestEventTime)
  const publicityStart = nullableDate(r.publicity_start)
  const publicityEnd = nullableDate(r.publicity_end)
  if (appliedAt === undefined || villageReviewedAt === undefined || townReviewedAt === undefined || countyDecidedAt === undefined || cityManagedAt === undefined) return null
  if (publicityStart === undefined || publicityEnd === undefined) return null
  const hits = ruleIds(r.prereview_hits)
  if (hits === null) return null

  // The schema's record-level checks: regions nested as claimed, dates that do not contradict.
  const county = getRegion(county_code)
  const town = getRegion(town_code)
  const village = getRegion(village_code)
  if (county?.level !== 'county' || town?.level !== 'town' || town.parent !== county.code) return null
  if (village?.level !== 'village' || village.parent !== town.code) return null
  if (birth_date > pay_time.slice(0, 10)) return null
  if (publicityStart && publicityEnd && publicityEnd < publicityStart) return null

  // Values in column order, strings without their quotes (see OBJECT_PIECES). Those whose check
  // leaves no character JSON escapes (names, digits, dates, fixed words) are written as they are;
  // ids and free text go through escaped().
  const values = [
    escaped(detail_id), String(month), escaped(project_code), escaped(dept), escaped(paying_unit),
    escaped(county_code), escaped(town_code), escaped(village_code), escaped(household_id),
    person_name, id_number, gender, birth_date, card_number, account_holder, holder_id_number, escaped(bank),
    phone, baseQuantity, standard, amountDue, amountPaid, pay_time,
    status, escaped(failure_reason), escaped(reissue_of), escaped(plan_id),
    escaped(voucher_id), escaped(indicator_doc), fund_level, proxy_held === 1 ? '1' : '0',
    proxy_holder_id, proxy_holder_name, jsonOrNull(appliedAt), jsonOrNull(villageReviewedAt),
    jsonOrNull(townReviewedAt), jsonOrNull(countyDecidedAt), jsonOrNull(cityManagedAt), jsonOrNull(publicityStart),
    jsonOrNull(publicityEnd), hits.length === 0 ? '[]' : JSON.stringify(hits),
  ]
  // Joined, not concatenated: a flat string, which the content hash's sort compares cheaply (a rope
  // of 80 pieces is flattened on every comparison).
  const objectParts = new Array<string>(values.length * 2 + 1)
  for (let i = 0; i < values.length; i++) {
    objectParts[2 * i] = OBJECT_PIECES[i]
    objectParts[2 * i + 1] = values[i]
  }
  objectParts[values.length * 2] = OBJECT_PIECES[values.length]
  return {
    objectLine: objectParts.join(''),
    // the same values unquoted and unescaped, as the schema outputs them
    values: [
      detail_id, month, project_code, dept, paying_unit, county_code, town_code, village_code, household_id,
      person_name, id_number, gender, birth_date, card_number, account_holder, holder_id_number, bank,
      phone, baseQuantity, standard, amountDue, amountPaid, pay_time,
      status, failure_reason, reissue_of, plan_id, voucher_id, indicator_doc, fund_level, proxy_held,
      proxy_holder_id, proxy_holder_name, appliedAt, villageReviewedAt, townReviewedAt, countyDecidedAt, cityManagedAt,
      publicityStart, publicityEnd, hits,
    ],
    amountPaid,
    payTime: pay_time,
    county: county_code,
    town: town_code,
    village: village_code,
    status,
    reissueOf: reissue_of,
  }
}

/** A checked date or time (digits and - : and space only), or null. */
const jsonOrNull = (value: string | null) => (value === null ? 'null' : `"${value}"`)
