/**
 * A stored payments batch summed the way the live hub's additive figures add it (server/live/additive.ts):
 * per place, pay month and status; today's successful payments per place and hour; re-issues per
 * place. The ingest worker sums a batch while it checks it, so what crosses to the event loop is a
 * group per village and status (about 1,300 for a 10k-row batch over the whole city), not an object
 * per record, and the event loop does not walk 10k records once per batch.
 * Sums are integers (fen) and the newest pay time a 'YYYY-MM-DD HH:mm:ss' text, so sums of sums are
 * exact and in any order.
 */

/** One stored payment, as the additive figures read it. */
export interface PaymentFact {
  county: string
  town: string
  village: string
  status: string
  /** amount paid in fen: integer arithmetic, so sums stay exact */
  cents: number
  /** 'YYYY-MM-DD HH:mm:ss' in Shanghai time */
  payTime: string
  reissue: boolean
}

/** Payments of one village (its county and town with it), pay month ('YYYY-MM') and status. */
export interface MonthSum {
  county: string
  town: string
  village: string
  month: string
  status: string
  payments: number
  cents: number
  /** the newest pay time, 'YYYY-MM-DD HH:mm:ss' */
  newest: string
}

/** Successful payments of one town on one day ('YYYY-MM-DD') and hour. */
export interface HourSum {
  county: string
  town: string
  day: string
  hour: number
  payments: number
  cents: number
}

/** Re-issues (reissue_of set) of one town, returned ones (退回) not counted. */
export interface ReissueSum {
  county: string
  town: string
  count: number
}

export interface PaymentSums {
  months: MonthSum[]
  hours: HourSum[]
  reissues: ReissueSum[]
}

/** The fact of a stored payments record (column names as stored); undefined when a field is missing. */
export function factOfRecord(record: Record<string, unknown>): PaymentFact | undefined {
  const { county_code, town_code, village_code, status, amount_paid, pay_time, reissue_of } = record
  if (typeof county_code !== 'string' || typeof town_code !== 'string' || typeof status !== 'string' || typeof pay_time !== 'string') return undefined
  const cents = Math.round(Number(amount_paid) * 100)
  if (!Number.isFinite(cents)) return undefined
  return {
    county: county_code,
    town: town_code,
    village: typeof village_code === 'string' ? village_code : '',
    status,
    cents,
    payTime: pay_time,
    reissue: typeof reissue_of === 'string' && reissue_of !== '',
  }
}

export class PaymentSummer {
  private readonly months = new Map<string, MonthSum>()
  private readonly hours = new Map<string, HourSum>()
  private readonly reissues = new Map<string, ReissueSum>()

  add(fact: PaymentFact): void {
    const month = fact.payTime.slice(0, 7)
    const monthKey = `${fact.village}|${fact.county}|${fact.town}|${month}|${fact.status}`
    let group = this.months.get(monthKey)
    if (!group) this.months.set(monthKey, (group = { county: fact.county, town: fact.town, village: fact.village, month, status: fact.status, payments: 0, cents: 0, newest: '' }))
    group.payments += 1
    group.cents += fact.cents
    if (fact.payTime > group.newest) group.newest = fact.payTime // 'YYYY-MM-DD HH:mm:ss' sorts as time does
    if (fact.reissue && fact.status !== '退回') {
      const placeKey = `${fact.county}|${fact.town}`
      let place = this.reissues.get(placeKey)
      if (!place) this.reissues.set(placeKey, (place = { county: fact.county, town: fact.town, count: 0 }))
      place.count += 1
    }
    if (fact.status === '成功') {
      const day = fact.payTime.slice(0, 10)
      const hour = Number(fact.payTime.slice(11, 13))
      const hourKey = `${fact.county}|${fact.town}|${day}|${hour}`
      let slot = this.hours.get(hourKey)
      if (!slot) this.hours.set(hourKey, (slot = { county: fact.county, town: fact.town, day, hour, payments: 0, cents: 0 }))
      slot.payments += 1
      slot.cents += fact.cents
    }
  }

  finish(): PaymentSums {
    return { months: [...this.months.values()], hours: [...this.hours.values()], reissues: [...this.reissues.values()] }
  }
}

/** Sums of stored payments records; undefined when one lacks a field the figures read (then the hub reads the tables). */
export function sumPaymentRecords(records: ReadonlyArray<Record<string, unknown>>): PaymentSums | undefined {
  const summer = new PaymentSummer()
  for (const record of records) {
    const fact = factOfRecord(record)
    if (!fact) return undefined
    summer.add(fact)
  }
  return summer.finish()
}
