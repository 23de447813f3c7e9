import { regionsAtLevel } from '../../geo/regions'
import { checkCharacterOf } from '../../server/ingest/idNumber'
import { paymentFixture } from '../../server/ingest/test/fixtures'
import { beijingDateTime } from '../../server/beijingTime'

/**
 * Payments the bench sends through POST /api/ingest/payments. A latency batch goes to the villages
 * of one county and every row is paid at the batch's marker second: the marker becomes the
 * newest payment time (asOf) of that county and of the city, so a screen knows the update that
 * first shows the batch by its asOf, with nothing but the public protocol. One row per batch fails
 * (失败), so the alerts theme's 失败未重发 moves too. People are new and distinct (unique
 * 身份证号, card and household), so the rules find what they would in a real delivery, not
 * duplicates made by the bench.
 */
export const COUNTIES = regionsAtLevel('county').map((county) => county.code)
const villages = regionsAtLevel('village')



export interface BatchShape {
  /** Tells runs on the same data directory apart (ids stay unique). */
  runId: number
  batchNo: number
  rows: number
  /** County whose villages are paid; all counties in turn when absent. */
  county?: string
  payTimeMs: number
}

export function paymentRecords(shape: BatchShape): Record<string, unknown>[] {
  const payTime = beijingDateTime(shape.payTimeMs)
  const period = Number(payTime.slice(0, 4) + payTime.slice(5, 7))
  const places = shape.county ? villages.filter((village) => village.code.startsWith(shape.county!)) : villages
  return Array.from({ length: shape.rows }, (_, i) => {
    const n = (shape.runId % 100_000) * 10_000_000 + shape.batchNo * 20_000 + i
    const village = places[(n * 7919) % places.length]
    const birthYear = 1940 + (n % 60)
    const birth = `${birthYear}${String(1 + (Math.floor(n / 60) % 12)).padStart(2, '0')}${String(1 + (Math.floor(n / 720) % 28)).padStart(2, '0')}`
    const male = n % 2 === 1
    const sequence = String((Math.floor(n / 20_160) * 2 + (male ? 1 : 0)) % 1000).padStart(3, '0')
    const first17 = `${village.code.slice(0, 6)}${birth}${sequence}`
    const idNumber = first17 + checkCharacterOf(first17)
    const failed = i === 0
    return paymentFixture(n, {
      detail_id: `BENCH-${shape.runId}-${shape.batchNo}-${i}`,
      period,
      county_code: village.code.slice(0, 6),
      town_code: village.parent,
      village_code: village.code,
      household_id: `BH-${shape.runId}-${shape.batchNo}-${i}`,
      id_number: idNumber,
      holder_id_number: idNumber,
      gender: male ? '男' : '女',
      birth_date: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
      card_number: `62${String(n).padStart(16, '0')}`,
      phone: '',
      pay_time: payTime,
      status: failed ? '失败' : '成功',
      failure_reason: failed ? '账户冻结' : '',
      amount_paid: failed ? 0 : paymentFixture(n).amount_paid,
      plan_id: '',
      voucher_id: '',
      applied_at: null,
      village_reviewed_at: null,
      publicity_start: null,
      publicity_end: null,
    })
  })
}
