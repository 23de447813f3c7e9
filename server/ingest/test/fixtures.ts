import { regionsAtLevel, type Region } from '../../../geo/regions'
import { checkCharacterOf } from '../idNumber'

/**
 * Valid records for every feed, built from real region codes and 身份证号 with correct check
 * characters. `n` varies ids, people and places so batches look like real deliveries; overrides
 * make a record wrong on purpose.
 */

/** A catalogue project every test feed uses. */
export const PROJECT = 'P01'

/** A valid 身份证号: registered in 资中县, born on `birth` (YYYYMMDD), odd sequence = 男. */
export function makeIdNumber(n: number, birth = '19580312', gender: '男' | '女' = '男'): string {
  const sequence = (n * 2 + (gender === '男' ? 1 : 0)) % 1000
  const first17 = `511025${birth}${String(sequence).padStart(3, '0')}`
  return first17 + checkCharacterOf(first17)
}

/** Same number with a wrong check character. */
export function withWrongCheckCharacter(id: string): string {
  const wrong = '0123456789X'.split('').find((c) => c !== id[17])!
  return id.slice(0, 17) + wrong
}

const villages = regionsAtLevel('village')

export function placeOf(n: number): { county_code: string; town_code: string; village_code: string } {
  const village: Region = villages[(n * 37) % villages.length]
  const town = village.parent!
  return { county_code: town.slice(0, 6), town_code: town, village_code: village.code }
}

/** Amounts with cents, so sums exercise the decimals. */
export function amountOf(n: number): string {
  return `${300 + (n % 50)}.${String((n * 7) % 100).padStart(2, '0')}`
}

export function paymentFixture(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const amount = amountOf(n)
  return {
    detail_id: `D-T-${n}`,
    period: 202405,
    project_code: PROJECT,
    dept: '民政',
    paying_unit: '资中县民政局',
    ...placeOf(n),
    household_id: `H-${n}`,
    person_name: '测试人',
    id_number: makeIdNumber(n),
    gender: '男',
    birth_date: '1958-03-12',
    card_number: `62210000${String(n).padStart(8, '0')}`,
    account_holder: '测试人',
    holder_id_number: makeIdNumber(n),
    bank: '四川农信',
    phone: `1380000${String(n % 10000).padStart(4, '0')}`,
    base_quantity: 1,
    standard: Number(amount),
    amount_due: Number(amount),
    amount_paid: Number(amount),
    pay_time: '2024-05-20 10:15:00',
    status: '成功',
    failure_reason: '',
    reissue_of: '',
    plan_id: 'PL-1',
    voucher_id: 'V-1',
    indicator_doc: '内财社〔2024〕1号',
    fund_level: '中央',
    proxy_held: 0,
    proxy_holder_id: '',
    proxy_holder_name: '',
    applied_at: '2024-04-01 09:00:00',
    village_reviewed_at: '2024-04-05 09:00:00',
    town_reviewed_at: null,
    publicity_start: '2024-04-06',
    publicity_end: '2024-04-12',
    ...overrides,
  }
}

export function paymentBatch(from: number, count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => paymentFixture(from + i))
}

export function indicatorFixture(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    indicator_id: `I-${n}`,
    doc_no: `内财社〔2024〕${n}号`,
    fiscal_year: 2024,
    county_code: placeOf(n).county_code,
    dept: '民政',
    project_code: PROJECT,
    fund_level: '中央',
    amount: `${1_000_000 + n}.50`,
    allocated_date: '2024-01-15',
    issued_date: n % 2 ? '2024-02-01' : null,
    ...overrides,
  }
}

export function planFixture(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    plan_id: `PL-${n}`,
    indicator_id: `I-${n}`,
    month: 202405,
    county_code: placeOf(n).county_code,
    dept: '民政',
    project_code: PROJECT,
    amount: 50_000 + n,
    approved_date: '2024-05-02',
    ...overrides,
  }
}

export function voucherFixture(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    voucher_id: `V-${n}`,
    plan_id: `PL-${n}`,
    county_code: placeOf(n).county_code,
    dept: '民政',
    project_code: PROJECT,
    amount: `${40_000 + n}.25`,
    bank: '四川农信',
    transit_account: `8800-${String(n).padStart(6, '0')}`,
    pay_date: '2024-05-18',
    clearing_status: '已清算',
    ...overrides,
  }
}

export function workflowFixture(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    application_id: `A-${n}`,
    node: '村评',
    at: '2024-04-05 09:00:00',
    project_code: PROJECT,
    ...placeOf(n),
    id_number: makeIdNumber(n),
    actor: '村委会',
    ...overrides,
  }
}
