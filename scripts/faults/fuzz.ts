import { paymentFixture } from '../../server/ingest/test/fixtures'
import { healthDetails, post, startServer } from './server'

export interface FuzzCase {
  name: string
  body: string | Buffer
  headers?: Record<string, string>
}

export interface FuzzResult {
  cases: number
  refused: number
  stored: number
  serverErrors: number
  resets: number
  byStatus: Record<string, number>
  /** Cases that were stored or answered 5xx, by name (should be empty). */
  failures: string[]
}

let seq = 0
const batchOf = (bad: unknown) => JSON.stringify({ batchId: `fuzz-${seq++}`, records: [paymentFixture(90_000 + seq), bad] })

/**
 * Payloads that must all be refused: every field given a value of the wrong kind, broken and
 * truncated JSON, legacy encodings, duplicate keys, impossible dates, invisible and look-alike
 * characters, deep nesting. Each batch holds one valid record too, so "stored" would show.
 */
export function fuzzCases(): FuzzCase[] {
  const cases: FuzzCase[] = []
  const base = paymentFixture(1)
  const wrongValues: Array<[string, unknown]> = [
    ['an object', { a: 1 }], ['a boolean', true], ['a 100k string', 'x'.repeat(100_000)], ['a lone surrogate', '\ud800'],
    ['a huge number', 1e308], ['a nested array', [[1]]],
  ]
  for (const field of Object.keys(base)) {
    for (const [what, value] of wrongValues) {
      // [[1]] is an array of arrays: wrong for prereview_hits as well as for every scalar column.
      cases.push({ name: `${field} as ${what}`, body: batchOf({ ...base, [field]: value }) })
    }
    cases.push({ name: `${field} missing or null`, body: batchOf({ ...base, [field]: field.endsWith('_at') || field.startsWith('publicity') ? '2024-13-01 00:00:00' : null }) })
  }
  const dated: Array<[string, Record<string, unknown>]> = [
    ['approval 1900', { applied_at: '1900-01-01 00:00:00' }], ['approval 2200', { village_reviewed_at: '2200-01-01 00:00:00' }],
    ['approval 9999', { county_decided_at: '9999-12-31 23:59:59' }], ['payment 2017', { pay_time: '2017-12-31 23:59:59' }],
    ['payment next year', { pay_time: `${new Date().getFullYear() + 1}-06-01 00:00:00` }], ['birth after payment', { birth_date: '2024-06-01' }],
    ['publicity end before start', { publicity_start: '2024-04-12', publicity_end: '2024-04-01' }], ['29 Feb 2023', { birth_date: '2023-02-29' }],
    ['hour 24', { pay_time: '2024-05-20 24:00:00' }], ['ISO time with zone', { pay_time: '2024-05-20T10:15:00Z' }],
  ]
  for (const [name, overrides] of dated) cases.push({ name, body: batchOf({ ...base, ...overrides }) })
  const characters: Array<[string, Record<string, unknown>]> = [
    ['zero-width in id', { detail_id: 'D-\u200b1' }], ['BOM in id', { household_id: '\ufeffH-1' }], ['Cyrillic in id', { detail_id: 'D-\u0410' }],
    ['full-width id', { detail_id: 'ＤＴ１' }], ['compatibility ideograph id', { indicator_doc: '\uf900财' }], ['RTL mark in name', { person_name: '张\u200f三' }],
    ['digits in name', { person_name: '张3' }], ['emoji in name', { person_name: '张😀' }], ['control char in text', { failure_reason: 'a\u0007b' }],
    ['private use in bank', { bank: '四川\ue000农信' }], ['lone low surrogate', { paying_unit: '\udc00' }], ['space in id', { detail_id: 'D 1' }],
  ]
  for (const [name, overrides] of characters) cases.push({ name, body: batchOf({ ...base, ...overrides }) })
  cases.push({ name: 'unknown field', body: batchOf({ ...base, extra: 1 }) })
  cases.push({ name: 'duplicate key', body: batchOf(base).replace(/("amount_paid":)/, '"amount_paid":"1.00",$1') })
  cases.push({ name: 'duplicate envelope key', body: batchOf(base).replace('{"batchId":', '{"records":[],"batchId":') })
  cases.push({ name: 'record not an object', body: batchOf(42) })
  cases.push({ name: 'deep nesting', body: `{"batchId":"fuzz-deep","records":[${'{"a":['.repeat(20_000)}${']}'.repeat(20_000)}]}` })
  cases.push({ name: 'trailing comma', body: batchOf(base).replace(/\]\}$/, ',]}') })
  const good = batchOf(base)
  for (let i = 1; i <= 30; i++) {
    const cut = Math.floor((good.length * i) / 31)
    cases.push({ name: `truncated at ${cut}`, body: good.slice(0, cut) })
  }
  for (let i = 0; i < 20; i++) {
    const bytes = Buffer.alloc(200 + i * 50)
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(Math.random() * 256)
    cases.push({ name: `random bytes ${i}`, body: bytes })
  }
  const gbk = Buffer.from(batchOf({ ...base, person_name: '@@' }).replace('@@', '\u0000'))
  const at = gbk.indexOf(0)
  cases.push({ name: 'GBK bytes, no charset', body: Buffer.concat([gbk.subarray(0, at), Buffer.from([0xd5, 0xc5]), gbk.subarray(at + 1)]) })
  cases.push({ name: 'overlong UTF-8', body: Buffer.concat([gbk.subarray(0, at), Buffer.from([0xc0, 0xaf]), gbk.subarray(at + 1)]) })
  cases.push({ name: 'charset=gbk', body: batchOf(base), headers: { 'content-type': 'application/json; charset=gbk' } })
  cases.push({ name: 'text/plain', body: batchOf(base), headers: { 'content-type': 'text/plain' } })
  cases.push({ name: '100k empty records', body: `{"batchId":"fuzz-empties","records":[${Array.from({ length: 100_000 }, () => '{}').join(',')}]}` })
  cases.push({ name: 'bad batch id', body: JSON.stringify({ batchId: '../../etc', records: [base] }) })
  return cases
}

export async function fuzz(dataDir: string, log: (line: string) => void): Promise<FuzzResult> {
  const server = await startServer(dataDir)
  const result: FuzzResult = { cases: 0, refused: 0, stored: 0, serverErrors: 0, resets: 0, byStatus: {}, failures: [] }
  try {
    let rows = (await healthDetails(server.url)).rows.payment_detail as number
    for (const fuzzCase of fuzzCases()) {
      result.cases++
      const answer = await post(server.url, '/api/ingest/payments', fuzzCase.body, fuzzCase.headers)
      const status = 'error' in answer ? answer.error : String(answer.status)
      result.byStatus[status] = (result.byStatus[status] ?? 0) + 1
      const now = (await healthDetails(server.url)).rows.payment_detail as number
      if (now !== rows) {
        result.stored++
        result.failures.push(`${fuzzCase.name}: stored`)
        rows = now
      }
      if ('error' in answer) result.resets++
      else if (answer.status >= 500) {
        result.serverErrors++
        result.failures.push(`${fuzzCase.name}: ${answer.status}`)
      } else if (answer.status >= 400) result.refused++
    }
    log(`fuzz: ${result.cases} cases, answers ${JSON.stringify(result.byStatus)}`)
    return result
  } finally {
    process.kill(server.child.pid!, 'SIGTERM')
    await server.exited
  }
}
