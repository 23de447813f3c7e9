import { describe, expect, it } from 'vitest'
import { regionsAtLevel } from '../../../geo/regions'
import { HttpError } from '../../http/router'
import { paymentRecord } from '../feeds/payments'
import { feedByName } from '../feeds'
import { fusedPayment, PAYMENT_COLUMNS } from '../fused/paymentRow'
import { schemaProblems, validateBatch } from '../validateBatch'
import { makeIdNumber, paymentFixture, withWrongCheckCharacter } from './fixtures'

// The fused validator against the schema it replaces on the hot path: the same verdict on every
// record, the same output when valid, and (through validateBatch) the schema's own problems.
const payments = feedByName('payments')!
const county = paymentFixture(1).county_code as string
const townElsewhere = regionsAtLevel('town').find((town) => town.parent !== county)!.code
const villageElsewhere = regionsAtLevel('village').find((village) => village.parent !== paymentFixture(1).town_code)!.code

/** Values per field, good and bad: edges, wrong types, hostile characters (hostile.test.ts and more). */
const variants: Record<string, unknown[]> = {
  detail_id: ['D-1', '', 'a'.repeat(64), 'a'.repeat(65), 'D-\u200b9', 'Ｄ-9', 'H-\u04109', '内财社〔2024〕1号', '\uF900', 'a b', 5, null, ['x']],
  period: [202405, 201801, 201712, 202413, 202400, 202405.5, '202405', -202405, 0, 999912, null, true, 1e300],
  project_code: ['P01', 'P999', '', 1, null],
  dept: ['民政', '农业', 'x', '', null, 3],
  paying_unit: ['资中县民政局', '', 'x'.repeat(100), 'x'.repeat(101), '四川\u202e农信', 'a\nb', 'a\tb', '\ud800', 1],
  county_code: [county, '110105', '511000', '', 5, townElsewhere],
  town_code: [townElsewhere, '', '511025999', null],
  village_code: ['511025999999', villageElsewhere, '', 0],
  household_id: ['H-\u04109', 'H-1', '', ' H', 'H\u3000'],
  person_name: ['张三', '阿依古丽·买买提', 'John Smith', '王〇', '张\u200d三', '张A三', '张\ud800', '', 'A1', '·张', '张·', 'x'.repeat(51), '张'.repeat(50), '⼀', 'Ｊohn', 5, "O'Neil", 'Mary-Ann Lee'],
  id_number: [makeIdNumber(7), withWrongCheckCharacter(makeIdNumber(7)), '', makeIdNumber(7).toLowerCase(), '51102519580312001x', '511025185803120011', '511025209903120011', 12345, null],
  gender: ['男', '女', 'M', '', null],
  birth_date: ['1958-03-12', '1899-12-31', '1900-01-01', '2024-06-01', '2024-05-20', '2023-02-29', '2024-02-29', '1958-3-12', '', null, 19580312],
  card_number: ['622100000001', '62210000000000000001', '6221000000000000000', '62210000000', '６２２１０００００００１', 6221000000000000, ''],
  account_holder: ['测试人', '', 'John', 'x\u200b'],
  holder_id_number: ['', makeIdNumber(9), withWrongCheckCharacter(makeIdNumber(9)), null],
  bank: ['四川农信', '', 'x'.repeat(50), 'x'.repeat(51), '四川\u202e农信', null],
  phone: ['', '13800001234', '028-12345678', '02812345678', '1380000123', '+8613800001234', 5],
  base_quantity: [1, 0, '0', '-0', -0, '-0.00', '-1', 1_000_000, 1_000_001, '1000000.01', '1.5', 1.005, '00012.1', '1e3', 1e21, ' 1', '', true, null, Number.NaN, Infinity],
  standard: [300.5, '300.50', '300.505', 1_000_000, 1_000_000.01],
  amount_due: ['12', 12.3, '12.', '.5', '0x10'],
  amount_paid: [12.345, -5, 12.5, '12.50', '999999999999999', '9999999999999999', 0.1 + 0.2, 1e-7],
  pay_time: ['2024-05-20 10:15:00', '2017-12-31 23:59:59', '2018-01-01 00:00:00', '2024-05-20T10:15:00', '2024-05-20 24:00:00', '2024-02-30 10:00:00', '2099-01-01 00:00:00', '', null],
  status: ['成功', '失败', '退回', '在途', '已付', null],
  failure_reason: ['', 'x'.repeat(200), 'x'.repeat(201), 'x\udc00', '银行卡\n冻结', 'a\u0000b', '\u00ad', '\ue000'],
  reissue_of: ['', 'D-0', 'D 0', 'Ｄ', null],
  plan_id: ['', 'PL-1', 7],
  voucher_id: ['', 'V\u200b'],
  indicator_doc: ['内财社〔2024〕1号', '', '内财社（2024）'],
  fund_level: ['中央', '县', '乡', null],
  proxy_held: [0, 1, 2, '1', true, -0, null],
  proxy_holder_id: ['', makeIdNumber(11), 'x'],
  proxy_holder_name: ['', '李四', 'x\u200b', ' '],
  applied_at: [undefined, null, '2024-04-01 09:00:00', '1900-01-01 00:00:00', '1999-12-31 23:59:59', '2000-01-01 00:00:00', '2200-01-01 00:00:00', '9999-12-31 23:59:59', '2024-04-01', 5],
  village_reviewed_at: [null, '2024-04-05 09:00:60'],
  town_reviewed_at: [undefined, '2200-01-01 00:00:00'],
  county_decided_at: ['2024-04-08 09:00:00', ''],
  city_managed_at: [undefined, '2024-13-01 00:00:00'],
  publicity_start: [undefined, null, '2024-04-06', '2024-04-13', '1999-12-31', '2024-4-6', 20240406],
  publicity_end: [undefined, null, '2024-04-12', '2024-04-05', '2100-01-01'],
  prereview_hits: [undefined, [], ['R05'], ['R05', 'R 5'], ['a'.repeat(17)], Array(124).fill('R1'), Array(125).fill('R1'), 'R05', [5], null],
}

function records(): unknown[] {
  const out: unknown[] = [42, null, 'x', [], [paymentFixture(1)], {}, { bonus: 1 }, { ...paymentFixture(2), bonus: 1 }, { ...paymentFixture(3), __proto__: 1 }]
  out.push(JSON.parse(`{${JSON.stringify(paymentFixture(4)).slice(1, -1)},"__proto__":{"x":1}}`))
  let n = 10
  for (const [field, values] of Object.entries(variants)) {
    for (const value of values) {
      out.push(paymentFixture(n++, { [field]: value }))
      // The same value beside a broken region and contradicting dates: record-level checks run or not.
      out.push(paymentFixture(n++, { [field]: value, village_code: villageElsewhere }))
      out.push(paymentFixture(n++, { [field]: value, birth_date: '2024-06-01', publicity_start: '2024-04-12', publicity_end: '2024-04-06' }))
    }
    const { [field]: _dropped, ...without } = paymentFixture(n++)
    out.push(without)
  }
  // Pseudo-random pairs of variants, seeded: interactions between fields.
  let seed = 42
  const next = (max: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % max)
  const fields = Object.keys(variants)
  for (let i = 0; i < 1500; i++) {
    const overrides: Record<string, unknown> = {}
    for (let k = 0; k < 1 + next(3); k++) {
      const field = fields[next(fields.length)]
      overrides[field] = variants[field][next(variants[field].length)]
    }
    out.push(paymentFixture(n++, overrides))
  }
  return out
}

describe('fused payments validator', () => {
  const all = records()

  it('accepts exactly what the schema accepts, with the same output, on valid, invalid and hostile records', () => {
    let accepted = 0
    for (const raw of all) {
      const schema = paymentRecord.safeParse(raw)
      const fused = fusedPayment(raw)
      expect({ raw, accepted: fused !== null }).toEqual({ raw, accepted: schema.success })
      if (!schema.success || !fused) continue
      accepted++
      expect(Object.keys(schema.data)).toEqual(PAYMENT_COLUMNS)
      expect(fused.objectLine).toBe(JSON.stringify(schema.data))
      expect(fused.values).toEqual(Object.values(schema.data))
    }
    // Both kinds are well represented.
    expect(accepted).toBeGreaterThan(200)
    expect(all.length - accepted).toBeGreaterThan(500)
  })

  it('lists the schema’s own problems (record index and field) for a refused batch', () => {
    const batch = all.slice(0, 80)
    let details: unknown
    try {
      validateBatch(payments, { batchId: 'b', records: batch, unreadable: [] })
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      details = error.details
    }
    expect(details).toEqual(batch.flatMap((raw, index) => schemaProblems(payments, index, raw)).slice(0, 100))
  })
})
