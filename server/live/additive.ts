import type { MonthStatusRow } from '../metrics/payments/regionMonths'
import type { QueryCacheBatches } from '../metrics/sql/query'
import { beijingDay } from '../beijingTime'
import { CITY_CODE } from '../../geo/regions'

/**
 * The additive live figures kept current by what an ingest brought, not by re-reading the table:
 * the region × month × status summary (totals, counts, success rate, status split, trends, open
 * failures, freshness), today's paid payments by hour, and re-issues. They are the rows of the
 * warm pass's shared selects (sql/query.ts perRegion keys), captured after a pass read them and
 * handed to the next pass instead of the query. A batch's rows are added to them; anything else
 * that changes payments drops them, and the next pass reads them again. Every maxAgeMs a pass reads
 * them again beside the held ones (the drift check, `recheckDue`) and replaces them when no batch
 * overlapped the read: the held figures keep serving meanwhile, so under a steady feed the KPIs
 * never fall back to waiting for a theme's queries.
 */
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

/** Facts from stored payment records (the ingest feed's own rows); undefined when a field is missing. */
export function paymentFacts(records: ReadonlyArray<Record<string, unknown>>): PaymentFact[] | undefined {
  const facts: PaymentFact[] = []
  for (const record of records) {
    const { county_code, town_code, village_code, status, amount_paid, pay_time, reissue_of } = record
    if (typeof county_code !== 'string' || typeof town_code !== 'string' || typeof status !== 'string' || typeof pay_time !== 'string') return undefined
    const cents = Math.round(Number(amount_paid) * 100)
    if (!Number.isFinite(cents)) return undefined
    facts.push({
      county: county_code,
      town: town_code,
      village: typeof village_code === 'string' ? village_code : '',
      status,
      cents,
      payTime: pay_time,
      reissue: typeof reissue_of === 'string' && reissue_of !== '',
    })
  }
  return facts
}

/** Wall metrics computed from the additive figures alone (without a project or month filter). */
export const ADDITIVE_METRICS: ReadonlySet<string> = new Set([
  'payments.total', 'payments.count', 'payments.successRate', 'payments.byStatus', 'payments.failedOpen',
  'payments.todayAmount', 'payments.todayCount', 'payments.byHour', 'payments.byMonth',
])

export interface ReadToken {
  events: number
  started: number
}

type CentsRow = MonthStatusRow & { cents: number }
type HourRow = { region: string; hour_of_day: number; amount: number; payments: number; cents: number }

export const ADDITIVE_KEYS = { regionMonths: 'regionMonths', handledReissues: 'handledReissues', paidByHour: (day: string) => `paidByHour|${day}` }

export class AdditiveState {
  private months: Map<string, CentsRow[]> | undefined
  private hours: { day: string; rows: Map<string, HourRow[]> } | undefined
  private reissues: Map<string, number> | undefined
  private loadedAt = 0
  /** Counts every payments change; a pass's reads are kept only if none came while it read. */
  events = 0

  constructor(
    private readonly warmRegions: ReadonlySet<string>,
    private readonly maxAgeMs: number,
    /** Ingest deliveries started and running (AppContext.ingestWatch), when there is an ingest route. */
    private readonly watch: () => { started: number; running: number } | undefined = () => undefined,
  ) {}

  /**
   * Taken before a pass reads: its reads may be kept only if no batch was in flight then and none
   * started or was announced until they are kept. Otherwise a read might hold a batch's rows that
   * are then added again when announced (or miss ones announced before).
   */
  readToken(): ReadToken | undefined {
    const watch = this.watch()
    if (watch && watch.running > 0) return undefined
    return { events: this.events, started: watch?.started ?? 0 }
  }

  /** Full: nothing to read for the next pass. */
  get complete(): boolean {
    return Boolean(this.months && this.reissues && this.hours?.day === beijingDay())
  }

  /** Held and read from the table more than maxAgeMs ago: the next pass reads them again to correct any drift. */
  recheckDue(now = Date.now()): boolean {
    return this.complete && now - this.loadedAt >= this.maxAgeMs
  }

  /** What the next pass may use instead of querying. */
  seed(): Map<string, Map<string, unknown>> {
    const seeded = new Map<string, Map<string, unknown>>()
    if (this.months) seeded.set(ADDITIVE_KEYS.regionMonths, this.months)
    if (this.reissues) seeded.set(ADDITIVE_KEYS.handledReissues, this.reissues)
    if (this.hours && this.hours.day === beijingDay()) seeded.set(ADDITIVE_KEYS.paidByHour(this.hours.day), this.hours.rows)
    return seeded
  }

  /**
   * Takes a pass's freshly read rows for the parts missing, if no payments change came in while it
   * read them. `recheck`: the pass read all of them again (the drift check); all three replace the
   * held ones, or none do (a batch overlapped: the held ones stay and the next pass tries again).
   */
  async capture(batches: QueryCacheBatches, token: ReadToken | undefined, recheck = false): Promise<boolean> {
    if (!token) return false
    const read = async <T>(key: string) => (batches.get(key) as Promise<Map<string, T>> | undefined)?.catch(() => undefined)
    const day = beijingDay()
    const [months, reissues, hours] = await Promise.all([
      this.months && !recheck ? undefined : read<MonthStatusRow[]>(ADDITIVE_KEYS.regionMonths),
      this.reissues && !recheck ? undefined : read<number>(ADDITIVE_KEYS.handledReissues),
      this.hours?.day === day && !recheck ? undefined : read<Array<Omit<HourRow, 'cents'>>>(ADDITIVE_KEYS.paidByHour(day)),
    ])
    const watch = this.watch()
    if (this.events !== token.events || (watch?.started ?? 0) !== token.started || (watch?.running ?? 0) > 0) return false
    if (recheck && !(months && reissues && hours)) return false
    const withCents = <R extends { amount: number }>(rows: R[]) => rows.map((row) => ({ ...row, cents: Math.round(row.amount * 100) }))
    if (months) this.months = new Map([...months].map(([region, rows]) => [region, withCents(rows)]))
    if (reissues) this.reissues = new Map(reissues)
    if (hours) this.hours = { day, rows: new Map([...hours].map(([region, rows]) => [region, withCents(rows)])) }
    if (recheck) this.loadedAt = Date.now()
    else if (months || reissues || hours) this.loadedAt ||= Date.now()
    return Boolean(months || reissues || hours)
  }

  invalidate(): void {
    this.events += 1
    this.months = undefined
    this.hours = undefined
    this.reissues = undefined
    this.loadedAt = 0
  }

  /** Batches added to held figures since start. */
  applied = 0

  /**
   * Adds a stored batch to the figures held (the same sums the rollups' views add). The batch is
   * summed per place, month and status first, and the held rows are looked up once per group: a
   * 10k-row batch is a few hundred groups. Looked up per row, 4 senders of 10k-row batches kept the
   * event loop busy 5 s in 15 (event-loop delay p99 295 ms).
   */
  apply(facts: PaymentFact[]): void {
    this.events += 1
    if (this.months || this.hours || this.reissues) this.applied += 1
    const today = this.hours?.day
    const months = new Map<string, MonthGroup>()
    const hours = new Map<string, HourGroup>()
    const reissues = new Map<string, { county: string; town: string; count: number }>()
    for (const fact of facts) {
      const month = fact.payTime.slice(0, 7)
      // villages apart, and only those with a warm room (one is watched): a batch pays into many
      // villages and few towns
      const village = this.warmRegions.has(fact.village) ? fact.village : ''
      const monthKey = `${fact.county}|${fact.town}|${village}|${month}|${fact.status}`
      let group = months.get(monthKey)
      if (!group) months.set(monthKey, (group = { county: fact.county, town: fact.town, village, month, status: fact.status, payments: 0, cents: 0, newest: '' }))
      group.payments += 1
      group.cents += fact.cents
      if (fact.payTime > group.newest) group.newest = fact.payTime // 'YYYY-MM-DD HH:mm:ss' sorts as time does
      if (fact.reissue && fact.status !== '退回') {
        const placeKey = `${fact.county}|${fact.town}`
        const place = reissues.get(placeKey) ?? { county: fact.county, town: fact.town, count: 0 }
        place.count += 1
        reissues.set(placeKey, place)
      }
      if (fact.status === '成功' && fact.payTime.slice(0, 10) === today) {
        const hour = Number(fact.payTime.slice(11, 13))
        const hourKey = `${fact.county}|${fact.town}|${hour}`
        let slot = hours.get(hourKey)
        if (!slot) hours.set(hourKey, (slot = { county: fact.county, town: fact.town, hour, payments: 0, cents: 0 }))
        slot.payments += 1
        slot.cents += fact.cents
      }
    }
    if (this.months) {
      for (const group of months.values()) {
        for (const region of this.regionsUp(group.county, group.town)) this.addMonth(region, group)
        if (group.village) this.addMonth(group.village, group)
      }
    }
    if (this.reissues) {
      for (const place of reissues.values()) {
        for (const region of this.regionsUp(place.county, place.town)) this.reissues.set(region, (this.reissues.get(region) ?? 0) + place.count)
      }
    }
    if (this.hours) {
      for (const slot of hours.values()) for (const region of this.regionsUp(slot.county, slot.town)) this.addHour(region, slot)
    }
  }

  /** The city, the county and the town of a place, those that have warm rooms. */
  private regionsUp(county: string, town: string): string[] {
    return [CITY_CODE, county, town].filter((code) => this.warmRegions.has(code))
  }

  private addMonth(region: string, group: MonthGroup): void {
    const ym = Number(group.month.slice(0, 4) + group.month.slice(5, 7))
    const rows = this.months!.get(region) ?? []
    this.months!.set(region, rows)
    let row = rows.find((r) => r.ym === ym && r.status === group.status)
    if (!row) {
      row = { ym, status: group.status as MonthStatusRow['status'], payments: 0, amount: 0, newest: 0, cents: 0 }
      rows.push(row)
      // the query's order (ORDER BY ym, status): sums over the rows add in the same order
      rows.sort((a, b) => a.ym - b.ym || (a.status < b.status ? -1 : a.status > b.status ? 1 : 0))
    }
    row.payments += group.payments
    row.cents += group.cents
    row.amount = row.cents / 100
    row.newest = Math.max(row.newest, Date.parse(`${group.newest.replace(' ', 'T')}+08:00`) / 1000)
  }

  private addHour(region: string, slot: HourGroup): void {
    const rows = this.hours!.rows.get(region) ?? []
    this.hours!.rows.set(region, rows)
    let row = rows.find((r) => r.hour_of_day === slot.hour)
    if (!row) {
      row = { region, hour_of_day: slot.hour, amount: 0, payments: 0, cents: 0 }
      rows.push(row)
      rows.sort((a, b) => a.hour_of_day - b.hour_of_day)
    }
    row.payments += slot.payments
    row.cents += slot.cents
    row.amount = row.cents / 100
  }
}

/** A batch's payments of one place (county, town, and village when it has a warm room, else ''), pay month ('YYYY-MM') and status. */
interface MonthGroup {
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

/** A batch's successful payments of today of one place (county, town) and hour. */
interface HourGroup {
  county: string
  town: string
  hour: number
  payments: number
  cents: number
}
