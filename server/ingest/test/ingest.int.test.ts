import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { regionsAtLevel } from '../../../geo/regions'
import type { RunningApp } from '../../app'
import type { IngestEvent } from '../../context'
import { makeTempDir } from '../../testing/tempDb'
import { insertBatch } from '../insertBatch'
import { storePrepared } from '../storeBatch'
import { prepareRecords } from '../preparedBatch'
import { feedByName } from '../feeds'
import {
  amountOf, indicatorFixture, makeIdNumber, paymentBatch, paymentFixture, planFixture, voucherFixture,
  withWrongCheckCharacter, workflowFixture,
} from './fixtures'
import { ndjson, postBatch, queryRow, startIngestApp, TOKEN } from './harness'

// One data directory for the whole file (chDB binds one per process); the app restarts on it.
const dataDir = makeTempDir('ykt-ingest-')
let app: RunningApp
const events: IngestEvent[] = []

async function start(): Promise<void> {
  app = await startIngestApp(dataDir)
  app.ctx.onIngest.push((event) => events.push(event))
}

beforeAll(start)
afterAll(() => app?.close())

/** Rows and amount (in cents) of one batch in payment_detail. */
async function paymentTotals(batchId: string): Promise<{ rows: number; cents: number }> {
  const row = await queryRow<{ rows: string; cents: string }>(
    app,
    'SELECT count() AS rows, sum(toInt64(amount_paid * 100)) AS cents FROM payment_detail WHERE batch_id = {b:String}',
    { b: batchId },
  )
  return { rows: Number(row.rows), cents: Number(row.cents) }
}

async function ledgerRows(feed: string, batchId: string): Promise<number> {
  const row = await queryRow<{ n: string }>(app, 'SELECT count() AS n FROM ingest_batch FINAL WHERE feed = {f:String} AND batch_id = {b:String}', { f: feed, b: batchId })
  return Number(row.n)
}

const centsOfFixtures = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => Math.round(Number(amountOf(from + i)) * 100)).reduce((a, b) => a + b, 0)

describe('payments batch', () => {
  const records = paymentBatch(0, 40)
  const expectedCents = centsOfFixtures(0, 40)

  it('is stored whole, with the right totals, in one part, and announced', async () => {
    const before = events.length
    const answer = await postBatch(app, 'payments', { batchId: 'pay-1', records })
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual({ status: 'stored', feed: 'payments', batchId: 'pay-1', rows: 40, amount: expectedCents / 100 })
    expect(await paymentTotals('pay-1')).toEqual({ rows: 40, cents: expectedCents })
    const parts = await queryRow<{ n: string }>(app, "SELECT uniqExact(_part) AS n FROM payment_detail WHERE batch_id = 'pay-1'")
    expect(Number(parts.n)).toBe(1)
    // The rollup the wall reads was fed by the same INSERT.
    const rollup = await queryRow<{ payments: string }>(app, "SELECT sum(payments) AS payments FROM agg_payment_month WHERE month = '2024-05-01'")
    expect(Number(rollup.payments)).toBeGreaterThanOrEqual(40)
    expect(await ledgerRows('payments', 'pay-1')).toBe(1)
    const announced = events.slice(before)
    expect(announced).toHaveLength(1)
    expect(announced[0]).toMatchObject({ feed: 'payments', batchId: 'pay-1', rows: 40 })
    expect(Math.abs(announced[0].acknowledgedAt - Date.now())).toBeLessThan(10_000)
  })

  it('answers a retry as duplicate and writes nothing', async () => {
    const before = events.length
    const retry = await postBatch(app, 'payments', { batchId: 'pay-1', records })
    expect(retry.status).toBe(200)
    expect(retry.json).toMatchObject({ status: 'duplicate', batchId: 'pay-1', rows: 40 })
    // Same records in another order, sent as NDJSON with amounts as strings: still the same content.
    const reordered = [...records].reverse().map((r) => ({ ...r, amount_paid: String(r.amount_paid) }))
    const asNdjson = await postBatch(app, 'payments', ndjson(reordered), { contentType: 'application/x-ndjson', headers: { 'x-batch-id': 'pay-1' } })
    expect(asNdjson.json.status).toBe('duplicate')
    expect(await paymentTotals('pay-1')).toEqual({ rows: 40, cents: expectedCents })
    expect(events.length).toBe(before)
  })

  it('refuses the same batch id with other content (409)', async () => {
    const changed = records.map((r, i) => (i === 3 ? { ...r, amount_paid: 1 } : r))
    const answer = await postBatch(app, 'payments', { batchId: 'pay-1', records: changed })
    expect(answer.status).toBe(409)
    expect(await paymentTotals('pay-1')).toEqual({ rows: 40, cents: expectedCents })
  })

  it('stores each of concurrent deliveries of one batch once', async () => {
    const batch = { batchId: 'pay-concurrent', records: paymentBatch(100, 25) }
    const answers = await Promise.all([1, 2, 3].map(() => postBatch(app, 'payments', batch)))
    expect(answers.map((a) => a.json.status).sort()).toEqual(['duplicate', 'duplicate', 'stored'])
    expect((await paymentTotals('pay-concurrent')).rows).toBe(25)
  })
})

describe('batches stored at the same moment (group commit)', () => {
  it('go in as one INSERT while another runs: one part for the waiting batches', async () => {
    const spec = feedByName('payments')!
    const prepared = ['grp-a', 'grp-b', 'grp-c'].map((batchId, i) =>
      prepareRecords(spec, batchId, paymentBatch(1200 + 10 * i, 10).map((r) => spec.record.parse(r))),
    )
    // Merges stopped, so a shared part can only come from a shared INSERT.
    await app.ctx.db.client.command({ query: 'SYSTEM STOP MERGES payment_detail' })
    try {
      const outcomes = await Promise.all(prepared.map((batch, i) => storePrepared(app.ctx.db, spec, ['grp-a', 'grp-b', 'grp-c'][i], batch)))
      expect(outcomes.map((o) => o.status)).toEqual(['stored', 'stored', 'stored'])
      const parts = await queryRow<{ a: string; b: string; c: string }>(
        app,
        "SELECT anyIf(_part, batch_id = 'grp-a') AS a, anyIf(_part, batch_id = 'grp-b') AS b, anyIf(_part, batch_id = 'grp-c') AS c FROM payment_detail WHERE batch_id LIKE 'grp-%'",
      )
      // The first starts at once; the two that arrive while it is stored go in together.
      expect(parts.b).toBe(parts.c)
      expect(parts.a).not.toBe(parts.b)
    } finally {
      await app.ctx.db.client.command({ query: 'SYSTEM START MERGES payment_detail' })
    }
    for (const [i, batchId] of ['grp-a', 'grp-b', 'grp-c'].entries()) {
      expect(await paymentTotals(batchId)).toEqual({ rows: 10, cents: centsOfFixtures(1200 + 10 * i, 10) })
      expect(await ledgerRows('payments', batchId)).toBe(1)
    }
  })

  it('answers each batch of a group for itself: stored, duplicate, conflict and recovered side by side', async () => {
    const spec = feedByName('payments')!
    const parse = (from: number, count: number) => paymentBatch(from, count).map((r) => spec.record.parse(r))
    await storePrepared(app.ctx.db, spec, 'grp-dup', prepareRecords(spec, 'grp-dup', parse(1250, 4)))
    await storePrepared(app.ctx.db, spec, 'grp-changed', prepareRecords(spec, 'grp-changed', parse(1260, 4)))
    // Rows without a ledger entry: a delivery whose process stopped after its INSERT.
    await insertBatch(app.ctx.db, spec, 'grp-interrupted', parse(1270, 4))
    const opener = storePrepared(app.ctx.db, spec, 'grp-opener', prepareRecords(spec, 'grp-opener', parse(1280, 2)))
    const group = [
      storePrepared(app.ctx.db, spec, 'grp-dup', prepareRecords(spec, 'grp-dup', parse(1250, 4))),
      storePrepared(app.ctx.db, spec, 'grp-changed', prepareRecords(spec, 'grp-changed', parse(1261, 4))),
      storePrepared(app.ctx.db, spec, 'grp-interrupted', prepareRecords(spec, 'grp-interrupted', parse(1270, 4))),
      storePrepared(app.ctx.db, spec, 'grp-new', prepareRecords(spec, 'grp-new', parse(1290, 3))),
    ].map((p) => p.then((o) => o, (error: Error) => error.message))
    expect((await opener).status).toBe('stored')
    expect(await Promise.all(group)).toEqual([
      { status: 'duplicate', feed: 'payments', batchId: 'grp-dup', rows: 4 },
      expect.stringContaining('already stored with different content'),
      expect.objectContaining({ status: 'stored', batchId: 'grp-interrupted', rows: 4, recovered: true }),
      expect.objectContaining({ status: 'stored', batchId: 'grp-new', rows: 3 }),
    ])
    // One ledger INSERT for the group: its entries share the time the INSERT gave them.
    const ledgerWrites = await queryRow<{ n: string }>(app, "SELECT uniqExact(received_at) AS n FROM ingest_batch WHERE batch_id IN ('grp-interrupted', 'grp-new')")
    expect(Number(ledgerWrites.n)).toBe(1)
    expect(await paymentTotals('grp-interrupted')).toEqual({ rows: 4, cents: centsOfFixtures(1270, 4) })
    expect(await paymentTotals('grp-changed')).toEqual({ rows: 4, cents: centsOfFixtures(1260, 4) })
    expect(await paymentTotals('grp-new')).toEqual({ rows: 3, cents: centsOfFixtures(1290, 3) })
    for (const batchId of ['grp-dup', 'grp-changed', 'grp-interrupted', 'grp-new']) expect(await ledgerRows('payments', batchId)).toBe(1)
  })

  it('stores each of several concurrent batches once, whole, in the ledger and announced', async () => {
    const before = events.length
    // As many as the ingest takes at once (ingestLimits.maxConcurrentRequests).
    const batches = [0, 1, 2, 3].map((i) => ({ batchId: `pay-together-${i}`, records: paymentBatch(1300 + 30 * i, 30) }))
    const answers = await Promise.all(batches.map((batch) => postBatch(app, 'payments', batch)))
    expect(answers.map((a) => a.json.status)).toEqual(Array(4).fill('stored'))
    for (const [i, batch] of batches.entries()) {
      expect(await paymentTotals(batch.batchId)).toEqual({ rows: 30, cents: centsOfFixtures(1300 + 30 * i, 30) })
      expect(await ledgerRows('payments', batch.batchId)).toBe(1)
    }
    expect(events.slice(before).map((e) => e.batchId).sort()).toEqual(batches.map((b) => b.batchId))
    const again = await Promise.all(batches.map((batch) => postBatch(app, 'payments', batch)))
    expect(again.map((a) => a.json.status)).toEqual(Array(4).fill('duplicate'))
  })
})

describe('invalid records', () => {
  it('rejects the whole batch with index and field of every problem, storing nothing', async () => {
    const badId = withWrongCheckCharacter(makeIdNumber(502))
    const records = [
      paymentFixture(500),
      paymentFixture(501, { id_number: badId }),
      paymentFixture(502, { village_code: '511025999999' }),
      paymentFixture(503, { bonus: 1 }),
      paymentFixture(504, { amount_paid: 12.345 }),
      paymentFixture(505),
    ]
    const answer = await postBatch(app, 'payments', { batchId: 'pay-bad', records })
    expect(answer.status).toBe(400)
    const found = answer.json.details.map((d: { index: number; field: string }) => [d.index, d.field])
    expect(found).toEqual([
      [1, 'id_number'],
      [2, 'village_code'],
      [3, 'bonus'],
      [4, 'amount_paid'],
    ])
    expect(answer.json.details[0].message).toBe('checksum digit wrong')
    // Personal values never come back in errors.
    expect(JSON.stringify(answer.json)).not.toContain(badId.slice(0, 17))
    expect(await paymentTotals('pay-bad')).toEqual({ rows: 0, cents: 0 })
    expect(await ledgerRows('payments', 'pay-bad')).toBe(0)
  })

  it('checks that the town lies in the county and dates are real', async () => {
    const county = paymentFixture(510).county_code
    const townElsewhere = regionsAtLevel('town').find((town) => town.parent !== county)!.code
    const records = [
      paymentFixture(510, { town_code: townElsewhere }),
      paymentFixture(511, { pay_time: '2017-12-31 23:59:59' }),
      paymentFixture(512, { period: 202413 }),
      paymentFixture(513, { status: '已付' }),
      paymentFixture(514, { project_code: 'P999' }),
      paymentFixture(515, { amount_paid: -5 }),
    ]
    const answer = await postBatch(app, 'payments', { batchId: 'pay-bad-2', records })
    expect(answer.status).toBe(400)
    expect(answer.json.details.map((d: { index: number; field: string }) => [d.index, d.field])).toEqual([
      [0, 'town_code'],
      [1, 'pay_time'],
      [2, 'period'],
      [3, 'status'],
      [4, 'project_code'],
      [5, 'amount_paid'],
    ])
  })

  it('names missing fields and unreadable NDJSON lines', async () => {
    const { card_number: _omitted, ...withoutCard } = paymentFixture(520)
    const body = `${JSON.stringify(withoutCard)}\n{not json\n`
    const answer = await postBatch(app, 'payments', body, { contentType: 'application/x-ndjson', query: '?batchId=pay-bad-3' })
    expect(answer.status).toBe(400)
    expect(answer.json.details).toEqual([
      { index: 0, field: 'card_number', message: 'is required' },
      { index: 1, field: '', message: 'record is not valid JSON' },
    ])
  })
})

describe('request checks', () => {
  const batch = { batchId: 'pay-auth', records: paymentBatch(600, 1) }

  it('needs the ingest token (401)', async () => {
    expect((await postBatch(app, 'payments', batch, { token: null })).status).toBe(401)
    expect((await postBatch(app, 'payments', batch, { token: `${TOKEN}x` })).status).toBe(401)
    expect(await paymentTotals('pay-auth')).toEqual({ rows: 0, cents: 0 })
  })

  it('accepts JSON and NDJSON only (415)', async () => {
    const answer = await postBatch(app, 'payments', 'detail_id,period\n', { contentType: 'text/csv' })
    expect(answer.status).toBe(415)
  })

  it('refuses a body declared over the limit before reading it (413)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${app.url}/api/ingest/payments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': String(65 * 1024 * 1024) },
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
        req.destroy()
      })
      req.on('error', reject)
      req.write('{"batchId":"big","records":[')
    })
    expect(status).toBe(413)
  })

  it('answers 404 for an unknown feed', async () => {
    expect((await postBatch(app, 'salaries', batch)).status).toBe(404)
  })
})

describe('NDJSON and the other feeds', () => {
  it('stores an NDJSON payments batch with X-Batch-Id', async () => {
    const answer = await postBatch(app, 'payments', ndjson(paymentBatch(700, 12)), {
      contentType: 'application/x-ndjson; charset=utf-8',
      headers: { 'x-batch-id': 'pay-nd' },
    })
    expect(answer.json).toMatchObject({ status: 'stored', rows: 12, amount: centsOfFixtures(700, 12) / 100 })
    expect(await paymentTotals('pay-nd')).toEqual({ rows: 12, cents: centsOfFixtures(700, 12) })
  })

  const cases = [
    { feed: 'indicators', table: 'budget_indicator', build: indicatorFixture, cents: (n: number) => (1_000_000 + n) * 100 + 50 },
    { feed: 'plans', table: 'spending_plan', build: planFixture, cents: (n: number) => (50_000 + n) * 100 },
    { feed: 'vouchers', table: 'payment_voucher', build: voucherFixture, cents: (n: number) => (40_000 + n) * 100 + 25 },
    { feed: 'workflow', table: 'workflow_event', build: workflowFixture, cents: () => 0 },
  ]
  for (const { feed, table, build, cents } of cases) {
    it(`stores ${feed} into ${table}, once`, async () => {
      const records = [1, 2, 3].map((n) => build(n))
      const expected = [1, 2, 3].map(cents).reduce((a, b) => a + b, 0)
      const answer = await postBatch(app, feed, { batchId: `${feed}-1`, records })
      expect(answer.json).toEqual({ status: 'stored', feed, batchId: `${feed}-1`, rows: 3, amount: expected / 100 })
      expect((await postBatch(app, feed, { batchId: `${feed}-1`, records })).json.status).toBe('duplicate')
      const row = await queryRow<{ n: string }>(app, `SELECT count() AS n FROM ${table} WHERE batch_id = {b:String}`, { b: `${feed}-1` })
      expect(Number(row.n)).toBe(3)
      const bad = await postBatch(app, feed, { batchId: `${feed}-bad`, records: [build(4, { county_code: '110105' })] })
      expect(bad.status).toBe(400)
      expect(bad.json.details[0]).toMatchObject({ index: 0, field: 'county_code' })
    })
  }
})

describe('settings stay with their INSERT', () => {
  it('leaves session settings at their defaults, and the next batch is stored normally', async () => {
    // The INSERT sets huge block thresholds in its own SETTINGS clause; through chDB, settings passed
    // as clickhouse_settings would stay set for every later query of the session.
    const setting = await queryRow<{ value: string; changed: number }>(
      app,
      "SELECT value, changed FROM system.settings WHERE name = 'min_insert_block_size_rows'",
    )
    expect(Number(setting.changed)).toBe(0)
    const answer = await postBatch(app, 'payments', { batchId: 'pay-after', records: paymentBatch(800, 5) })
    expect(answer.json.status).toBe('stored')
    expect((await paymentTotals('pay-after')).rows).toBe(5)
  })
})

describe('crash between INSERT and ledger', () => {
  it('records the ledger for rows already inserted, without inserting again', async () => {
    const records = paymentBatch(900, 7)
    const parsed = records.map((r) => feedByName('payments')!.record.parse(r))
    await insertBatch(app.ctx.db, feedByName('payments')!, 'pay-interrupted', parsed)
    const changed = { batchId: 'pay-interrupted', records: records.slice(1) }
    expect((await postBatch(app, 'payments', changed)).status).toBe(409)
    const answer = await postBatch(app, 'payments', { batchId: 'pay-interrupted', records })
    expect(answer.json).toMatchObject({ status: 'stored', rows: 7, recovered: true })
    expect(await paymentTotals('pay-interrupted')).toEqual({ rows: 7, cents: centsOfFixtures(900, 7) })
    expect((await postBatch(app, 'payments', { batchId: 'pay-interrupted', records })).json.status).toBe('duplicate')
  })

  it('refuses other content with the same row count and amount (409), record by record', async () => {
    const records = paymentBatch(950, 5)
    const parsed = records.map((r) => feedByName('payments')!.record.parse(r))
    await insertBatch(app.ctx.db, feedByName('payments')!, 'pay-interrupted-2', parsed)
    // Other people, same amounts: count and sum agree, content does not.
    const otherPeople = records.map((r, i) => ({ ...r, id_number: makeIdNumber(5000 + i), person_name: '另一人' }))
    expect((await postBatch(app, 'payments', { batchId: 'pay-interrupted-2', records: otherPeople })).status).toBe(409)
    expect((await postBatch(app, 'payments', { batchId: 'pay-interrupted-2', records: [...records].reverse() })).json).toMatchObject({ status: 'stored', recovered: true })
    expect((await paymentTotals('pay-interrupted-2')).rows).toBe(5)
  })

  it.each([
    ['indicators', indicatorFixture, 'doc_no'],
    ['plans', planFixture, 'plan_id'],
    ['vouchers', voucherFixture, 'voucher_id'],
    ['workflow', workflowFixture, 'actor'],
  ] as const)('reads %s rows back in the form they were hashed in', async (feed, fixture, field) => {
    const spec = feedByName(feed)!
    const records = [fixture(7001), fixture(7002)]
    const parsed = records.map((r) => spec.record.parse(r))
    await insertBatch(app.ctx.db, spec, `${feed}-interrupted`, parsed)
    const changed = records.map((r, i) => (i === 0 ? { ...r, [field]: `${String(r[field])}X` } : r))
    expect((await postBatch(app, feed, { batchId: `${feed}-interrupted`, records: changed })).status).toBe(409)
    const answer = await postBatch(app, feed, { batchId: `${feed}-interrupted`, records })
    expect(answer.json).toMatchObject({ status: 'stored', recovered: true, rows: 2 })
  })
})

describe('after a restart on the same data', () => {
  it('still answers a retry as duplicate', async () => {
    await app.close()
    await start()
    const answer = await postBatch(app, 'payments', { batchId: 'pay-1', records: paymentBatch(0, 40) })
    expect(answer.json.status).toBe('duplicate')
    expect(await paymentTotals('pay-1')).toEqual({ rows: 40, cents: centsOfFixtures(0, 40) })
  })
})
