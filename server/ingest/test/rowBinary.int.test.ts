import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/client'
import { openTempDb } from '../../testing/tempDb'
import { feedByName } from '../feeds'
import { insertPrepared } from '../insertBatch'
import { columnsOf, prepareRecords } from '../preparedBatch'
import { encoderOf, RowBinaryOut } from '../rowBinary'
import { validateBatch } from '../validateBatch'
import { paymentFixture } from './fixtures'

// Payments are inserted as RowBinary: each value in its column type's binary form. A type written
// wrong in the feed spec, or a value encoded wrong, would store other values than the records say,
// with no error from the engine. The same records through JSONCompactEachRow (text the engine
// parses itself) must give the same stored rows, column for column.
const payments = feedByName('payments')!
let db: Db

beforeAll(async () => {
  db = await openTempDb()
  await db.client.command({ query: 'CREATE TABLE payment_detail_text AS payment_detail' })
})

afterAll(async () => {
  await db?.close()
})

const LONG_REASON = '银行账户已销户，'.repeat(24) // 192 characters, 576 bytes: a length of two bytes
const records = [
  paymentFixture(1),
  paymentFixture(2, { person_name: '阿依古丽·买买提', account_holder: 'Zhang San', birth_date: '1900-01-01', pay_time: '2018-01-01 00:00:00', amount_paid: 0, amount_due: '0.5', standard: 12.3, base_quantity: '1000000' }),
  paymentFixture(3, { birth_date: '1969-12-31', status: '失败', failure_reason: LONG_REASON, applied_at: null, village_reviewed_at: null, publicity_start: null, publicity_end: null }),
  paymentFixture(4, { status: '在途', fund_level: '县', proxy_held: 1, proxy_holder_id: paymentFixture(9).id_number, proxy_holder_name: '代领人', prereview_hits: ['R05', 'R12'], county_decided_at: '2024-05-01 23:59:59', city_managed_at: '2024-05-02 00:00:00' }),
  paymentFixture(5, { status: '退回', reissue_of: 'D-T-3', gender: '女', amount_paid: '99999.99', indicator_doc: '内财社〔2024〕12号', phone: '', holder_id_number: '' }),
]

describe('payments inserted as RowBinary', () => {
  it('names each column with the type the migrated table has', async () => {
    const result = await db.client.query({
      query: "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'payment_detail'",
      format: 'JSONEachRow',
    })
    const types = new Map((await result.json<{ name: string; type: string }>()).map((column) => [column.name, column.type]))
    const columns = [...columnsOf(payments), 'batch_id']
    expect(Object.keys(payments.columnTypes!)).toEqual(columns)
    expect(Object.fromEntries(columns.map((column) => [column, types.get(column)]))).toEqual(payments.columnTypes)
  })

  it('stores the same rows as the text format, column for column', async () => {
    const checked = validateBatch(payments, { batchId: 'rb', records, unreadable: [] })
    const binary = prepareRecords(payments, 'rb', checked)
    const text = prepareRecords({ ...payments, table: 'payment_detail_text', columnTypes: undefined }, 'rb', checked)
    expect([binary.format, text.format]).toEqual(['RowBinary', 'JSONCompactEachRow'])
    expect(binary.contentHash).toBe(text.contentHash)
    await insertPrepared(db, payments, binary)
    await insertPrepared(db, { ...payments, table: 'payment_detail_text' }, text)
    const rows = async (table: string) =>
      (await db.client.query({ query: `SELECT * EXCEPT ingested_at, age_years FROM ${table} ORDER BY detail_id`, format: 'JSONEachRow' })).json<Record<string, unknown>>()
    const stored = await rows('payment_detail')
    expect(stored).toHaveLength(records.length)
    expect(stored).toEqual(await rows('payment_detail_text'))
    // and the values are the records' (not two formats agreeing on something else)
    const third = stored.find((row) => row.detail_id === 'D-T-3')!
    expect([third.failure_reason, third.birth_date, third.applied_at, third.publicity_start]).toEqual([LONG_REASON, '1969-12-31', null, null])
    const second = stored.find((row) => row.detail_id === 'D-T-2')!
    expect([second.person_name, second.birth_date, second.pay_time, second.amount_paid, second.amount_due, second.base_quantity]).toEqual(['阿依古丽·买买提', '1900-01-01', '2018-01-01 00:00:00', 0, 0.5, 1000000])
    expect(stored.find((row) => row.detail_id === 'D-T-4')!.prereview_hits).toEqual(['R05', 'R12'])
  })

  it('refuses to write a value that is not of its column type', () => {
    const out = new RowBinaryOut(Buffer.alloc(16))
    expect(() => encoderOf("DateTime('Asia/Shanghai')")(out, '2024-05-20')).toThrow(/is not a value of DateTime/)
    expect(() => encoderOf('Decimal(14, 2)')(out, '1.234')).toThrow(/is not a value of Decimal/)
    expect(() => encoderOf("Enum8('成功' = 1, '失败' = 2)")(out, '完成')).toThrow(/is not a value of Enum8/)
    expect(() => encoderOf('UInt8')(out, 256)).toThrow(/is not a value of UInt8/)
    expect(() => encoderOf('Float64')).toThrow(/no writer for type Float64/)
  })
})
