import { z } from 'zod'
import { getRegion } from '../../geo/regions'
import { departments, isKnownProject } from '../catalogue'
import { daysInMonth, idNumberProblem } from './idNumber'
import { ingestLimits } from './limits'

/**
 * Field types shared by the feed record schemas. Each parses to the exact text ClickHouse reads
 * for its column (amounts as 'N.NN', dates as 'YYYY-MM-DD', times as 'YYYY-MM-DD HH:mm:ss' in
 * Asia/Shanghai), so the normalized record is both what is hashed and what is inserted.
 * Messages describe the problem and never repeat the value: some values are personal data.
 */

/** Identifiers of records in other systems (detail, plan, voucher, document numbers). */
export const recordId = () => z.string().regex(/^[^\s\p{C}]{1,64}$/u, 'must be 1–64 characters without spaces or control characters')

/** Identifier that may be empty where the relation is absent (e.g. `reissue_of`). */
export const optionalRecordId = () => z.union([z.literal(''), recordId()])

export const text = (max: number) => z.string().max(max, `must be at most ${max} characters`)

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
    const written = typeof value === 'number' ? String(value) : value
    const match = /^(-?)(\d{1,15})(?:\.(\d+))?$/.exec(written)
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'must be a plain decimal amount such as 1234.50' })
      return z.NEVER
    }
    const [, sign, whole, fraction = ''] = match
    const normalized = `${BigInt(whole)}.${fraction.padEnd(2, '0')}`
    if (sign && Number(normalized) !== 0) ctx.addIssue({ code: 'custom', message: 'must be ≥ 0' })
    else if (fraction.length > 2) ctx.addIssue({ code: 'custom', message: 'must have at most two decimals' })
    else if (Number(normalized) > maxYuan) ctx.addIssue({ code: 'custom', message: `must be at most ${maxYuan} yuan` })
    else return normalized
    return z.NEVER
  })

/** Whole cents of a normalized amount ('1234.50' → 123450), exact for any amount we accept. */
export function centsOf(amount: string): number {
  const [whole, fraction] = amount.split('.')
  return Number(whole) * 100 + Number(fraction)
}

/** A calendar date. Business dates default to 2000–2099, which also keeps them inside ClickHouse's Date range. */
export const date = (range: { from: string; to: string } = { from: '2000-01-01', to: '2099-12-31' }) =>
  z
    .string()
    .refine(isRealDate, 'must be a real date YYYY-MM-DD')
    .refine((value) => value >= range.from && value <= range.to, `must lie between ${range.from} and ${range.to}`)

export const dateTime = () => z.string().refine(isRealDateTime, 'must be a real time YYYY-MM-DD HH:mm:ss (Asia/Shanghai)')

/** When a payment or approval happened: not before 一卡通 payments began, not (much) in the future. */
export const eventTime = () =>
  dateTime().refine(
    (value) => value >= ingestLimits.earliestPayTime && value <= clock().latestEventTime,
    `must lie between ${ingestLimits.earliestPayTime} and one day from now`,
  )

/**
 * The present as the checks need it, refreshed once a second rather than per record (a batch holds
 * tens of thousands). Times compare as text: 'YYYY-MM-DD HH:mm:ss' sorts like time.
 */
let snapshot = { until: 0, latestEventTime: '', year: 0 }
function clock(): typeof snapshot {
  const now = Date.now()
  if (now >= snapshot.until) {
    snapshot = { until: now + 1000, latestEventTime: shanghaiText(now + ingestLimits.futureSlackMs), year: Number(shanghaiText(now).slice(0, 4)) }
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

function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const month = Number(match[2])
  const day = Number(match[3])
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(match[1]), month)
}

function isRealDateTime(value: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value)
  if (!match || !isRealDate(match[1])) return false
  return Number(match[2]) <= 23 && Number(match[3]) <= 59 && Number(match[4]) <= 59
}

/** 'YYYY-MM-DD HH:mm:ss' in China time (UTC+8 all year) for an epoch in ms. */
export function shanghaiText(epochMs: number): string {
  return new Date(epochMs + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}
