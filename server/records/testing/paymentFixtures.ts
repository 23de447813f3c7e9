import type { Db } from '../../db/client'
import { childrenOf } from '../../../geo/regions'
import { checkCharacterOf } from '../../ingest/idNumber'

/**
 * A few payment details with checksum-valid (made-up) personal data, spread over two counties,
 * two towns and two villages, for tests of scope, masking and reveal.
 */
export interface FixtureRow {
  detail_id: string
  county_code: string
  town_code: string
  village_code: string
  person_name: string
  id_number: string
  card_number: string
  phone: string
  account_holder: string
  holder_id_number: string
  proxy_holder_id: string
  proxy_holder_name: string
  status: '成功' | '失败'
  period: number
}

export function validIdNumber(prefix17: string): string {
  return prefix17 + checkCharacterOf(prefix17)
}

/** `perVillage` rows in each of: 2 villages of 资中县's first town, 1 village of its second town, 1 village of 市中区. */
export function fixtureRows(perVillage = 3): FixtureRow[] {
  const [townA, townB] = childrenOf('511025')
  const [villageA1, villageA2] = childrenOf(townA.code)
  const [villageB1] = childrenOf(townB.code)
  const townC = childrenOf('511002')[0]
  const [villageC1] = childrenOf(townC.code)
  const places = [
    ['511025', townA.code, villageA1.code],
    ['511025', townA.code, villageA2.code],
    ['511025', townB.code, villageB1.code],
    ['511002', townC.code, villageC1.code],
  ]
  const rows: FixtureRow[] = []
  let n = 0
  for (const [county, town, village] of places) {
    for (let i = 0; i < perVillage; i++, n++) {
      const serial = String(100 + n).padStart(3, '0')
      rows.push({
        detail_id: `T-${county}-${n}`,
        county_code: county,
        town_code: town,
        village_code: village,
        person_name: `测试人${n}号`,
        id_number: validIdNumber(`${county}19500101${serial}`),
        card_number: `62170000${String(n).padStart(8, '0')}`,
        phone: `139${String(n).padStart(8, '0')}`,
        account_holder: `测试人${n}号`,
        holder_id_number: validIdNumber(`${county}19500101${serial}`),
        proxy_holder_id: validIdNumber(`${county}19700101${serial}`),
        proxy_holder_name: `代管人${n}`,
        status: n % 4 === 0 ? '失败' : '成功',
        period: n % 2 === 0 ? 202406 : 202407,
      })
    }
  }
  return rows
}

export async function insertFixtureRows(db: Db, rows: FixtureRow[]): Promise<void> {
  await db.client.insert({
    table: 'payment_detail',
    format: 'JSONEachRow',
    values: rows.map((row) => ({
      ...row,
      batch_id: 'test-batch',
      project_code: 'P01',
      dept: '民政',
      paying_unit: '测试单位',
      household_id: `H-${row.detail_id}`,
      gender: '男',
      birth_date: '1950-01-01',
      bank: '测试银行',
      base_quantity: 1,
      standard: 300,
      amount_due: 300,
      amount_paid: 300,
      pay_time: `${String(row.period).slice(0, 4)}-${String(row.period).slice(4)}-15 10:00:00`,
      fund_level: '中央',
      proxy_held: 1,
    })),
  })
}
