import type { Db } from '../db/client'
import type { Logger } from '../context'
import { banks, projects } from '../catalogue'
import { paymentRecord } from '../ingest/feeds/payments'
import { beijingDateTime } from '../beijingTime'

/**
 * Live payments for the wall: batches drawn from existing beneficiaries (each repeats the person's
 * latest clean payment, now, for the current period), posted to the ingest API as
 * `{ batchId, records }`. Records use payment_detail's column names (all but batch_id, ingested_at,
 * age_years). One batch in 20 carries one anomaly the rules flag live: a payment to someone with a
 * death record (R01), or, where the data has no deaths, the same payment twice (R02). The rest is
 * clean: the rules find nothing in it (feed.int.test.ts).
 */
export type PaymentRecord = Record<string, string | number | null | string[]>

export interface PaymentBatch {
  batchId: string
  records: PaymentRecord[]
  /** The batch's spending plans and vouchers, posted before its payments. */
  plans: PaymentRecord[]
  vouchers: PaymentRecord[]
}

/**
 * A clean live payment repeats a person's latest clean payment of a monthly project for the current
 * period, and only where nothing in the data would flag it: the person is alive (R01), has not been
 * paid that project this period already (R02: at 200 payments/s a random pick repeats people within
 * minutes, and the demo wall once showed 30 new duplicates a second), and is still within the
 * project's age band this month (R06: the latest payment may be years old). Rows the generator
 * injected as anomalies (ground_truth) or paid to another holder (R10) are never repeated, nor
 * anyone the generator made a near miss of (decoy).
 */
const sourceQuery = `
  SELECT * EXCEPT (batch_id, ingested_at) FROM payment_detail
  WHERE id_number IN (
      SELECT id_number FROM beneficiary
      WHERE id_number NOT IN (SELECT id_number FROM ref_death)
        -- near misses sit one step from a case (a 低保 switch next month, a moved county): a repeated
        -- older payment would make them one (R04 seen in CI), so their people are not paid live
        AND id_number NOT IN (SELECT id_number FROM payment_detail WHERE detail_id IN (SELECT detail_id FROM decoy))
      ORDER BY cityHash64({seq:UInt64}, id_number) LIMIT {sample:UInt32})
    AND project_code IN {monthly:Array(String)}
    AND status = '成功' AND reissue_of = '' AND amount_paid = amount_due AND voucher_id != ''
    AND holder_id_number = id_number AND detail_id NOT IN (SELECT detail_id FROM ground_truth)
    AND (id_number, project_code) NOT IN (SELECT id_number, project_code FROM payment_detail WHERE period = {period:UInt32})
    AND intDiv(toInt64({period:UInt32}) * 100 + 1 - toInt64(toYYYYMMDD(birth_date)), 10000)
        BETWEEN {ageMin:Map(String, UInt8)}[project_code] AND {ageMax:Map(String, UInt8)}[project_code]
  ORDER BY pay_time DESC LIMIT 1 BY id_number
  LIMIT {size:UInt32}`

const catalogueFacts = {
  monthly: projects.filter((p) => p.frequency === 'monthly').map((p) => p.code),
  ageMin: Object.fromEntries(projects.map((p) => [p.code, p.ageMin])),
  ageMax: Object.fromEntries(projects.map((p) => [p.code, p.ageMax])),
}

/**
 * The planted anomaly: a payment to someone who has died (R01) and nothing else. Their latest
 * payment may be years old, so it is repeated only where they would still be in the project's age
 * band this period: a child allowance repeated for a now-grown child was an R06 case besides (the
 * feed test caught it on a day the hash picked such a person).
 */
const deceasedQuery = `
  SELECT * EXCEPT (batch_id, ingested_at) FROM payment_detail
  WHERE id_number IN (SELECT id_number FROM ref_death ORDER BY cityHash64({seq:UInt64}, id_number) LIMIT {sample:UInt32})
    AND status = '成功' AND reissue_of = '' AND amount_paid = amount_due AND detail_id NOT IN (SELECT detail_id FROM ground_truth)
    AND id_number NOT IN (SELECT id_number FROM payment_detail WHERE detail_id IN (SELECT detail_id FROM decoy))
    AND intDiv(toInt64({period:UInt32}) * 100 + 1 - toInt64(toYYYYMMDD(birth_date)), 10000)
        BETWEEN {ageMin:Map(String, UInt8)}[project_code] AND {ageMax:Map(String, UInt8)}[project_code]
  ORDER BY pay_time DESC LIMIT 1 BY id_number
  LIMIT {size:UInt32}`

async function rows(db: Db, query: string, params: Record<string, unknown>): Promise<PaymentRecord[]> {
  const result = await db.client.query({ query, query_params: params, format: 'JSONEachRow' })
  return result.json<PaymentRecord>()
}

export async function makePaymentBatch(db: Db, options: { size: number; seq: number; now?: number }): Promise<PaymentBatch> {
  const now = options.now ?? Date.now()
  const stamp = beijingDateTime(now)
  const period = Number(stamp.slice(0, 4) + stamp.slice(5, 7))
  const day = stamp.slice(0, 10).replaceAll('-', '')
  const batchId = `SIM-${day}-${String(options.seq).padStart(7, '0')}`
  // About one anomaly every 20 batches (a wall flooded with flags teaches staff to ignore them).
  const anomalies = options.seq % 20 === 0 ? 1 : 0
  const size = Math.max(1, options.size - anomalies)
  // Eight people drawn per payment wanted: many have no monthly project (a third qualified in a
  // sample of the demo city), and more are paid already as the month goes on. Five spare rows:
  // some seeded people carry bad base data (see `sendable` below).
  const clean = await rows(db, sourceQuery, { ...catalogueFacts, period, seq: options.seq, size: size + 5, sample: size * 8 })
  const deceased = anomalies > 0 ? await rows(db, deceasedQuery, { ...catalogueFacts, period, seq: options.seq, size: Math.ceil(anomalies / 2), sample: 20 }) : []
  const duplicates = clean.slice(0, anomalies - deceased.length)
  const live = (source: PaymentRecord, i: number): PaymentRecord => {
    const payTime = beijingDateTime(now - ((options.seq * 7919 + i * 104729) % 60_000))
    const county = String(source.county_code)
    const code = String(source.project_code)
    return {
      ...source,
      detail_id: `L${period}${String(options.seq).padStart(7, '0')}${String(i).padStart(4, '0')}`,
      period,
      pay_time: payTime,
      status: '成功',
      failure_reason: '',
      reissue_of: '',
      plan_id: chainIds(batchId, county, code, String(source.bank)).plan,
      voucher_id: chainIds(batchId, county, code, String(source.bank)).voucher,
      prereview_hits: [],
    }
  }
  // The seeded population deliberately holds bad base data (R24: wrong checksums, impossible birth
  // dates) for the rules to find; a paying bank's pre-review would not send such a record, and the
  // ingest endpoint refuses a whole batch for one. The feed leaves them out.
  const sendable = (record: PaymentRecord) => paymentRecord.safeParse(record).success
  const cleanRecords = clean.map(live).filter(sendable).slice(0, size)
  const planted = [...deceased, ...duplicates].map((source, i) => live(source, clean.length + i)).filter(sendable)
  // once the month's payroll is paid, nothing is sent, planted anomalies included
  const records = cleanRecords.length ? [...cleanRecords, ...planted] : []
  const { plans, vouchers } = chainFor(batchId, records, stamp.slice(0, 10), period)
  return { batchId, records, plans, vouchers }
}

/**
 * One spending plan and one voucher per (county, project, bank) of a batch, each exactly the
 * amount its details pay, drawing on the county's indicator for the project and year: the live
 * chain adds up as the seeded one does, so R20 flags only real breaks.
 */
function chainIds(batchId: string, county: string, project: string, bank: string): { plan: string; voucher: string } {
  const group = `${county}${project}B${banks.indexOf(bank as (typeof banks)[number]) + 1}`
  return { plan: `PL-${batchId}-${group}`, voucher: `V-${batchId}-${group}` }
}

function chainFor(batchId: string, records: PaymentRecord[], day: string, period: number): { plans: PaymentRecord[]; vouchers: PaymentRecord[] } {
  const groups = new Map<string, { record: PaymentRecord; cents: number }>()
  for (const record of records) {
    const key = String(record.voucher_id)
    const group = groups.get(key) ?? { record, cents: 0 }
    group.cents += Math.round(Number(record.amount_paid) * 100)
    groups.set(key, group)
  }
  const plans: PaymentRecord[] = []
  const vouchers: PaymentRecord[] = []
  for (const { record, cents } of groups.values()) {
    const county = String(record.county_code)
    const project = String(record.project_code)
    const ids = chainIds(batchId, county, project, String(record.bank))
    const amount = cents / 100
    plans.push({ plan_id: ids.plan, indicator_id: `ZB${county}${project}${String(period).slice(0, 4)}`, month: period, county_code: county, dept: record.dept, project_code: project, amount, approved_date: day })
    vouchers.push({
      voucher_id: ids.voucher, plan_id: ids.plan, county_code: county, dept: record.dept, project_code: project, amount, bank: record.bank,
      transit_account: `5100${county.slice(-2)}${String(banks.indexOf(record.bank as (typeof banks)[number]) + 1).padStart(11, '0')}`,
      pay_date: day, clearing_status: '已清算',
    })
  }
  return { plans, vouchers }
}

export interface FeedOptions {
  db: Db
  url: string
  token: string
  ratePerSec: number
  log: Logger
}

/** Posts one batch a second (ratePerSec records each); skips a tick while a post is in flight. */
export function startSimulatedFeed({ db, url, token, ratePerSec, log }: FeedOptions): { stop(): void } {
  let seq = Math.floor(Date.now() / 1000) % 1_000_000
  let busy = false
  let failing = false
  let drained = false
  const post = async (feed: string, body: { batchId: string; records: PaymentRecord[] }) => {
    const response = await fetch(`${url}/api/ingest/${feed}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`ingest of ${feed} answered ${response.status}: ${(await response.text()).slice(0, 200)}`)
  }
  const timer = setInterval(() => {
    if (busy || ratePerSec <= 0) return
    busy = true
    makePaymentBatch(db, { size: Math.max(1, Math.round(ratePerSec)), seq: seq++ })
      .then(async (batch) => {
        // Everyone due this month has been paid: nothing to send until the month turns.
        if (batch.records.length === 0) {
          if (!drained) log.info("simulated feed: this month's payroll is fully paid; the feed resumes next month")
          drained = true
          return
        }
        drained = false
        // The chain first (plan, then voucher), then the payments that draw on it.
        await post('plans', { batchId: batch.batchId, records: batch.plans })
        await post('vouchers', { batchId: batch.batchId, records: batch.vouchers })
        await post('payments', { batchId: batch.batchId, records: batch.records })
        if (failing) log.info('simulated feed: ingest accepts batches again')
        failing = false
      })
      .catch((error: unknown) => {
        // One line per outage, not per second; never the records themselves (personal data).
        if (!failing) log.warn(`simulated feed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
        failing = true
      })
      .finally(() => {
        busy = false
      })
  }, 1000)
  timer.unref?.()
  return { stop: () => clearInterval(timer) }
}
