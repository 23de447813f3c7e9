import type { Db } from '../../db/client'

/**
 * A tiny handcrafted dataset whose every aggregate can be worked out by hand (see the expected
 * numbers in metrics.int.test.ts). Villages: A1, A2 in town T1 of county C1 (市中区); B1 in town T2
 * of county C2 (东兴区). Persons p1…p6; detail d5 failed and was re-issued as d6; d7 failed and is
 * still open; d8 is 在途. d9 and d10 are paid on FIXTURE_DAY.
 */
export const C1 = '511002'
export const T1 = '511002001'
export const A1 = '511002001002'
export const A2 = '511002001003'
export const C2 = '511011'
export const T2 = '511011100'
export const B1 = '511011100001'
export const FIXTURE_DAY = '2024-05-06'

const village = { [A1]: [C1, T1], [A2]: [C1, T1], [B1]: [C2, T2] } as const

export interface DetailSeed {
  id: string
  person: string
  at: keyof typeof village
  project: 'P01' | 'P20'
  status: '成功' | '失败' | '退回' | '在途'
  amount: number
  payTime: string
  gender: '男' | '女'
  birth: string
  bank: string
  voucher: string
  reissueOf?: string
}

const details: DetailSeed[] = [
  { id: 'd1', person: 'p1', at: A1, project: 'P01', status: '成功', amount: 500, payTime: '2024-03-10 10:00:00', gender: '男', birth: '1950-05-01', bank: '农业银行', voucher: 'V1' },
  { id: 'd2', person: 'p1', at: A1, project: 'P01', status: '成功', amount: 500, payTime: '2024-04-10 10:00:00', gender: '男', birth: '1950-05-01', bank: '农业银行', voucher: 'V1' },
  { id: 'd3', person: 'p2', at: A2, project: 'P01', status: '成功', amount: 300, payTime: '2024-04-12 11:00:00', gender: '女', birth: '1990-01-01', bank: '邮储银行', voucher: 'V1' },
  { id: 'd4', person: 'p3', at: B1, project: 'P20', status: '成功', amount: 1000, payTime: '2024-04-15 09:00:00', gender: '男', birth: '2010-06-01', bank: '农业银行', voucher: 'V2' },
  { id: 'd5', person: 'p4', at: B1, project: 'P20', status: '失败', amount: 800, payTime: '2024-04-15 09:30:00', gender: '女', birth: '1985-03-03', bank: '农业银行', voucher: 'V2' },
  { id: 'd6', person: 'p4', at: B1, project: 'P20', status: '成功', amount: 800, payTime: '2024-04-20 09:30:00', gender: '女', birth: '1985-03-03', bank: '农业银行', voucher: 'V2', reissueOf: 'd5' },
  { id: 'd7', person: 'p5', at: A1, project: 'P01', status: '失败', amount: 200, payTime: '2024-04-20 15:00:00', gender: '女', birth: '1940-02-02', bank: '农业银行', voucher: 'V1' },
  { id: 'd8', person: 'p6', at: A2, project: 'P01', status: '在途', amount: 100, payTime: '2024-04-25 16:00:00', gender: '男', birth: '1960-07-07', bank: '农业银行', voucher: 'V1' },
  { id: 'd9', person: 'p1', at: A1, project: 'P01', status: '成功', amount: 400, payTime: `${FIXTURE_DAY} 09:30:00`, gender: '男', birth: '1950-05-01', bank: '农业银行', voucher: 'V1' },
  { id: 'd10', person: 'p3', at: B1, project: 'P20', status: '成功', amount: 600, payTime: `${FIXTURE_DAY} 14:10:00`, gender: '男', birth: '2010-06-01', bank: '农业银行', voucher: 'V2' },
]

const deptOf = { P01: '民政', P20: '残联' } as const

/** A payment_detail row with only the columns the rollups read filled in. */
export function detailRow(seed: DetailSeed, batchId = 'fixture'): Record<string, unknown> {
  const [county, town] = village[seed.at]
  return {
    detail_id: seed.id,
    batch_id: batchId,
    period: Number(seed.payTime.slice(0, 4) + seed.payTime.slice(5, 7)),
    project_code: seed.project,
    dept: deptOf[seed.project],
    county_code: county,
    town_code: town,
    village_code: seed.at,
    household_id: `h-${seed.person}`,
    id_number: `id-${seed.person}`,
    gender: seed.gender,
    birth_date: seed.birth,
    bank: seed.bank,
    standard: seed.amount,
    amount_due: seed.amount,
    amount_paid: seed.amount,
    pay_time: seed.payTime,
    status: seed.status,
    reissue_of: seed.reissueOf ?? '',
    voucher_id: seed.voucher,
    fund_level: '中央',
  }
}

export async function insertDetails(db: Db, rows: Array<Record<string, unknown>>): Promise<void> {
  await db.client.insert({ table: 'payment_detail', values: rows, format: 'JSONEachRow' })
}

export async function loadFixture(db: Db): Promise<void> {
  await insertDetails(db, details.map((seed) => detailRow(seed)))
  await db.client.insert({
    table: 'budget_indicator',
    format: 'JSONEachRow',
    values: [
      { indicator_id: 'I1', doc_no: '内财社〔2024〕1号', fiscal_year: 2024, county_code: C1, dept: '民政', project_code: 'P01', fund_level: '中央', amount: 100000, allocated_date: '2024-01-15', issued_date: '2024-02-01' },
      { indicator_id: 'I2', doc_no: '内财社〔2024〕2号', fiscal_year: 2024, county_code: C2, dept: '残联', project_code: 'P20', fund_level: '省', amount: 50000, allocated_date: '2024-01-15', issued_date: '2024-02-01' },
      { indicator_id: 'I3', doc_no: '内财社〔2024〕3号', fiscal_year: 2024, county_code: C1, dept: '民政', project_code: 'P01', fund_level: '市', amount: 20000, allocated_date: '2024-01-20', issued_date: null },
    ],
  })
  await db.client.insert({
    table: 'spending_plan',
    format: 'JSONEachRow',
    values: [
      { plan_id: 'PL1', indicator_id: 'I1', month: 202403, county_code: C1, dept: '民政', project_code: 'P01', amount: 5000, approved_date: '2024-02-20' },
      { plan_id: 'PL2', indicator_id: 'I2', month: 202404, county_code: C2, dept: '残联', project_code: 'P20', amount: 4000, approved_date: '2024-03-20' },
    ],
  })
  await db.client.insert({
    table: 'payment_voucher',
    format: 'JSONEachRow',
    values: [
      { voucher_id: 'V1', plan_id: 'PL1', county_code: C1, dept: '民政', project_code: 'P01', amount: 2000, bank: '农业银行', transit_account: 'T-1', pay_date: '2024-03-01', clearing_status: '已清算' },
      { voucher_id: 'V2', plan_id: 'PL2', county_code: C2, dept: '残联', project_code: 'P20', amount: 2600, bank: '农业银行', transit_account: 'T-2', pay_date: '2024-04-01', clearing_status: '已清算' },
      { voucher_id: 'V3', plan_id: 'PL2', county_code: C2, dept: '残联', project_code: 'P20', amount: 1000, bank: '农业银行', transit_account: 'T-2', pay_date: '2024-05-05', clearing_status: '未清算' },
    ],
  })
}
