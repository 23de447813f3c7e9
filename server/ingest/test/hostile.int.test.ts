import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningApp } from '../../app'
import { makeTempDir } from '../../testing/tempDb'
import { ingestLimits } from '../limits'
import { paymentBatch, paymentFixture } from './fixtures'
import { postBatch, queryRow, startIngestApp, TOKEN } from './harness'

// Bodies an outside fault test sent: each is refused with the record and field named (or with
// the transport-level status), and nothing of it is stored.
const dataDir = makeTempDir('ykt-hostile-')
let app: RunningApp
beforeAll(async () => {
  app = await startIngestApp(dataDir)
})
afterAll(() => app?.close())

const rowsOf = async (batchId: string) => Number((await queryRow<{ n: string }>(app, 'SELECT count() AS n FROM payment_detail WHERE batch_id = {b:String}', { b: batchId })).n)

async function refusedRecord(batchId: string, overrides: Record<string, unknown>) {
  const answer = await postBatch(app, 'payments', { batchId, records: [paymentFixture(1), paymentFixture(2, overrides)] })
  expect(await rowsOf(batchId)).toBe(0)
  return answer
}

describe('records that make no sense', () => {
  it.each([
    ['an approval in 1900', { applied_at: '1900-01-01 00:00:00' }, 'applied_at'],
    ['an approval in 2200', { town_reviewed_at: '2200-01-01 00:00:00' }, 'town_reviewed_at'],
    ['an approval in 9999', { city_managed_at: '9999-12-31 23:59:59' }, 'city_managed_at'],
    ['a birth after the payment', { birth_date: '2024-06-01' }, 'birth_date'],
    ['a publicity ending before it starts', { publicity_start: '2024-04-12', publicity_end: '2024-04-06' }, 'publicity_end'],
    ['a zero-width space in a detail id', { detail_id: 'D-\u200b9' }, 'detail_id'],
    ['a Cyrillic look-alike in a household id', { household_id: 'H-\u04109' }, 'household_id'],
    ['full-width letters in a detail id', { detail_id: 'Ｄ-9' }, 'detail_id'],
    ['a zero-width joiner in a name', { person_name: '张\u200d三' }, 'person_name'],
    ['Latin look-alikes mixed into a Chinese name', { person_name: '张A三' }, 'person_name'],
    ['a lone surrogate in a name', { person_name: '张\ud800' }, 'person_name'],
    ['a lone surrogate in free text', { failure_reason: 'x\udc00' }, 'failure_reason'],
    ['a direction mark in the bank name', { bank: '四川\u202e农信' }, 'bank'],
  ])('refuses %s (400, record 1, the field)', async (_case, overrides, field) => {
    const answer = await refusedRecord(`bad-${field}-${Object.values(overrides).join('').length}`, overrides)
    expect(answer.status).toBe(400)
    expect(answer.json.details.length).toBeGreaterThan(0)
    for (const detail of answer.json.details) expect(detail).toMatchObject({ index: 1, field })
  })

  it('accepts real names: minority names with ·, Latin names, rare characters', async () => {
    const records = [
      paymentFixture(11, { person_name: '阿依古丽·买买提', account_holder: '阿依古丽·买买提' }),
      paymentFixture(12, { person_name: 'John Smith', account_holder: 'John Smith' }),
      paymentFixture(13, { person_name: '王〇', account_holder: '王〇' }),
    ]
    const answer = await postBatch(app, 'payments', { batchId: 'good-names', records })
    expect(answer.json).toMatchObject({ status: 'stored', rows: 3 })
  })

  it('refuses a key given twice in a record (JSON would keep only the last)', async () => {
    const record = JSON.stringify(paymentFixture(3))
    const doubled = record.replace('"amount_paid":', '"amount_paid":1,"amount_paid":')
    const body = `{"batchId":"dup-key","records":[${JSON.stringify(paymentFixture(4))},${doubled}]}`
    const answer = await postBatch(app, 'payments', body)
    expect(answer.status).toBe(400)
    expect(answer.json.details).toEqual([{ index: 1, field: 'amount_paid', message: 'is given twice in the record' }])
    const escaped = await postBatch(app, 'payments', record.replace('"bank":', '"b\\u0061nk":"x","bank":'), { contentType: 'application/x-ndjson', headers: { 'x-batch-id': 'dup-key-2' } })
    expect(escaped.json.details).toEqual([{ index: 0, field: 'bank', message: 'is given twice in the record' }])
    const envelope = await postBatch(app, 'payments', `{"batchId":"a","batchId":"dup-env","records":[]}`)
    expect(envelope).toMatchObject({ status: 400, json: { error: 'body field batchId is given twice' } })
    expect(await rowsOf('dup-key')).toBe(0)
  })
})

describe('bodies that are not UTF-8', () => {
  const send = (body: Buffer, contentType: string) =>
    fetch(`${app.url}/api/ingest/payments`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${TOKEN}` }, body: new Uint8Array(body) })

  it('refuses a declared legacy charset with 415, before reading', async () => {
    const answer = await send(Buffer.from(JSON.stringify({ batchId: 'gbk-1', records: [paymentFixture(5)] })), 'application/json; charset=gbk')
    expect(answer.status).toBe(415)
    expect((await answer.json()).error).toMatch(/UTF-8/)
  })

  it('refuses GBK bytes sent as UTF-8, and overlong UTF-8, with 400 (never stored as U+FFFD)', async () => {
    const gbkName = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]) // 张三 in GBK
    const overlongSlash = Buffer.from([0xc0, 0xaf])
    for (const [batchId, bytes] of [['gbk-2', gbkName], ['overlong-1', overlongSlash]] as const) {
      const json = JSON.stringify({ batchId, records: [paymentFixture(6, { person_name: '@@' })] })
      const [before, after] = json.split('@@')
      const answer = await send(Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]), 'application/json')
      expect(answer.status).toBe(400)
      expect((await answer.json()).error).toMatch(/not valid UTF-8/)
      expect(await rowsOf(batchId)).toBe(0)
    }
    expect(Number((await queryRow<{ n: string }>(app, "SELECT count() AS n FROM payment_detail WHERE position(person_name, '\uFFFD') > 0")).n)).toBe(0)
  })
})

describe('bounded work per request', () => {
  it('stops checking at the error cap: 100k empty records are refused with the first 100 problems', async () => {
    const body = `{"batchId":"empties","records":[${Array.from({ length: 100_000 }, () => '{}').join(',')}]}`
    const answer = await postBatch(app, 'payments', body)
    expect(answer.status).toBe(400)
    expect(answer.json.details).toHaveLength(ingestLimits.maxReportedErrors)
    expect(answer.json.error).toMatch(/at least 100 problems/)
  })

  it('answers a chunked body over the limit with a readable 413', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${app.url}/api/ingest/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' },
      })
      req.on('response', (res) => {
        let text = ''
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode!, body: text }))
      })
      req.on('error', reject)
      const chunk = Buffer.alloc(1 << 20, 32)
      let sent = 0
      const pump = () => {
        while (sent <= ingestLimits.maxBodyBytes + chunk.length) {
          sent += chunk.length
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        req.end()
      }
      pump()
    })
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body).error).toMatch(/exceeds the limit/)
  })

  it('answers 429 with Retry-After beyond the concurrent cap, and stores each batch once', async () => {
    const posts = Array.from({ length: 12 }, (_, i) =>
      fetch(`${app.url}/api/ingest/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ batchId: `flood-${i}`, records: paymentBatch(20_000 + i * 300, 300) }),
      }),
    )
    const answers = await Promise.all(posts)
    const refused = answers.filter((a) => a.status === 429)
    expect(refused.length).toBeGreaterThan(0)
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true)
    expect(refused.every((a) => a.headers.get('retry-after') === String(ingestLimits.retryAfterSeconds))).toBe(true)
    for (const [i, answer] of answers.entries()) expect(await rowsOf(`flood-${i}`)).toBe(answer.status === 200 ? 300 : 0)
  })
})
