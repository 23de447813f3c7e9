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
const KEY_PREFIXES = PAYMENT_COLUMNS.map((column, i) => `${i === 0 ? '{' : ','}${JSON.stringify(column)}:`)
const DEPARTMENTS = new Set<string>(departments)
const STATUSES = new Set(['成功', '失败', '退回', '在途'])
const FUND_LEVELS = new Set(['中央', '省', '市', '县'])
const GENDERS = new Set(['男', '女'])
const CARD = /^\d{12,19}$/
const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})?$/
const RULE_ID = /^[A-Za-z0-9_-]{1,16}$/
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/
const MAX_PAYMENT = ingestLimits.maxPaymentYuan

export interface FusedPayment {
  /** JSON.stringify of the schema's output (the content hash's canonical form) */
  objectLine: string
  /** the output's values as a JSON array, schema order (a JSONCompactEachRow row without batch_id) */
  compactLine: string
  amountPaid: string
  payTime: string
  county: string
  town: string
  village: string
  status: string
  reissueOf: string
}

const isString = (value: unknown): value is string => typeof value === 'string'
/** NFKC leaves printable ASCII as it is: only other text pays for normalize(). */
const nfkcStable = (value: string) => PRINTABLE_ASCII.test(value) || value === value.normalize('NFKC')
const isRecordId = (value: unknown): value is string => isString(value) && ID_CHARACTERS.test(value) && nfkcStable(value)
const isOptionalRecordId = (value: unknown): value is string => value === '' || isRecordId(value)
const isText = (value: unknown, max: number): value is string => isString(value) && value.length <= max && !HIDDEN.test(value)
const isName = (value: unknown, mayBeEmpty: boolean): value is string =>
  isString(value) && value.length <= 50 && ((mayBeEmpty && value === '') || (PERSON_NAME.test(value) && nfkcStable(value)))
const isIdNumber = (value: unknown, mayBeEmpty: boolean): value is string => isString(value) && ((mayBeEmpty && value === '') || idNumberProblem(value) === null)
const isDate = (value: unknown, from: string, to: string): value is string => isString(value) && isRealDate(value) && value >= from && value <= to
const isTime = (value: unknown, from: string): value is string =>
  isString(value) && isRealDateTime(value) && value >= from && value <= clock().latestEventTime

function money(value: unknown, max: number): string | null {
  if (typeof value !== 'number' && typeof value !== 'string') return null
  // z.number() refuses NaN and ±Infinity before the transform sees them.
  if (typeof value === 'number' && !Number.isFinite(value)) return null
  const checked = checkMoney(value, max)
  return checked.ok ? checked.value : null
}

/** null: absent or null (the schema's default); undefined: refused. */
function nullableTime(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null
  return isTime(value, ingestLimits.earliestApprovalTime) ? value : undefined
}

function nullableDate(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null
  return isDate(value, '2000-01-01', '2099-12-31') ? value : undefined
}

function period(value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return false
  const year = Math.floor(value / 100)
  const month = value % 100
  return month >= 1 && month <= 12 && year >= 2018 && year <= clock().year + 1
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

  const { detail_id, period: month, project_code, dept, paying_unit, county_code, town_code, village_code, household_id } = r
  if (!isRecordId(detail_id) || !period(month) || !isString(project_code) || !isKnownProject(project_code)) return null
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
  if (!isTime(pay_time, ingestLimits.earliestPayTime) || !isString(status) || !STATUSES.has(status) || !isText(failure_reason, 200)) return null
  if (!isOptionalRecordId(reissue_of) || !isOptionalRecordId(plan_id) || !isOptionalRecordId(voucher_id) || !isOptionalRecordId(indicator_doc)) return null
  if (!isString(fund_level) || !FUND_LEVELS.has(fund_level) || (proxy_held !== 0 && proxy_held !== 1)) return null
  const { proxy_holder_id, proxy_holder_name } = r
  if (!isIdNumber(proxy_holder_id, true) || !isName(proxy_holder_name, true)) return null
  const appliedAt = nullableTime(r.applied_at)
  const villageReviewedAt = nullableTime(r.village_reviewed_at)
  const townReviewedAt = nullableTime(r.town_reviewed_at)
  const countyDecidedAt = nullableTime(r.county_decided_at)
  const cityManagedAt = nullableTime(r.city_managed_at)
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

  const values = [
    JSON.stringify(detail_id), String(month), JSON.stringify(project_code), JSON.stringify(dept), JSON.stringify(paying_unit),
    JSON.stringify(county_code), JSON.stringify(town_code), JSON.stringify(village_code), JSON.stringify(household_id),
    JSON.stringify(person_name), JSON.stringify(id_number), JSON.stringify(gender), JSON.stringify(birth_date),
    JSON.stringify(card_number), JSON.stringify(account_holder), JSON.stringify(holder_id_number), JSON.stringify(bank),
    JSON.stringify(phone), `"${baseQuantity}"`, `"${standard}"`, `"${amountDue}"`, `"${amountPaid}"`, JSON.stringify(pay_time),
    JSON.stringify(status), JSON.stringify(failure_reason), JSON.stringify(reissue_of), JSON.stringify(plan_id),
    JSON.stringify(voucher_id), JSON.stringify(indicator_doc), JSON.stringify(fund_level), proxy_held === 1 ? '1' : '0',
    JSON.stringify(proxy_holder_id), JSON.stringify(proxy_holder_name), jsonOrNull(appliedAt), jsonOrNull(villageReviewedAt),
    jsonOrNull(townReviewedAt), jsonOrNull(countyDecidedAt), jsonOrNull(cityManagedAt), jsonOrNull(publicityStart),
    jsonOrNull(publicityEnd), JSON.stringify(hits),
  ]
  // Joined, not concatenated: a flat string, which the content hash's sort compares cheaply (a rope
  // of 80 pieces is flattened on every comparison).
  const parts = new Array<string>(values.length * 2 + 1)
  for (let i = 0; i < values.length; i++) {
    parts[2 * i] = KEY_PREFIXES[i]
    parts[2 * i + 1] = values[i]
  }
  parts[values.length * 2] = '}'
  return {
    objectLine: parts.join(''),
    compactLine: `[${values.join(',')}]`,
    amountPaid,
    payTime: pay_time,
    county: county_code,
    town: town_code,
    village: village_code,
    status,
    reissueOf: reissue_of,
  }
}

const jsonOrNull = (value: string | null) => (value === null ? 'null' : JSON.stringify(value))
