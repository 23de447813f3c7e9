import type { MonthStatusRow } from '../metrics/payments/regionMonths'
import type { QueryCacheBatches } from '../metrics/sql/query'
import { beijingDay } from '../beijingTime'
import { CITY_CODE } from '../../geo/regions'
import type { HourSum, MonthSum, PaymentSums } from '../ingest/paymentSums'

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
   * Adds a stored batch, as summed by the ingest worker (ingest/paymentSums.ts), to the figures held (the
   * same sums the rollups' views add). Villages without a warm room fold into their town's group
   * first, and the held rows are looked up once per group: a 10k-row batch is a few hundred groups.
   * Looked up per row, 4 senders of 10k-row batches kept the event loop busy 5 s in 15 (event-loop
   * delay p99 295 ms).
   */
  apply(sums: PaymentSums): void {
    this.events += 1
    if (this.months || this.hours || this.reissues) this.applied += 1
    if (this.months) {
      const months = new Map<string, MonthSum>()
      for (const sum of sums.months) {
        // villages apart only where one has a warm room (one is watched): a batch pays into many villages and few towns
        const village = this.warmRegions.has(sum.village) ? sum.village : ''
        const key = `${sum.county}|${sum.town}|${village}|${sum.month}|${sum.status}`
        const group = months.get(key)
        if (!group) months.set(key, { ...sum, village })
        else {
          group.payments += sum.payments
          group.cents += sum.cents
          if (sum.newest > group.newest) group.newest = sum.newest
        }
      }
      for (const group of months.values()) {
        for (const region of this.regionsUp(group.county, group.town)) this.addMonth(region, group)
        if (group.village) this.addMonth(group.village, group)
      }
    }
    if (this.reissues) {
      for (const place of sums.reissues) {
        for (const region of this.regionsUp(place.county, place.town)) this.reissues.set(region, (this.reissues.get(region) ?? 0) + place.count)
      }
    }
    if (this.hours) {
      const today = this.hours.day
      for (const slot of sums.hours) {
        if (slot.day === today) for (const region of this.regionsUp(slot.county, slot.town)) this.addHour(region, slot)
      }
    }
  }

  /** The city, the county and the town of a place, those that have warm rooms. */
  private regionsUp(county: string, town: string): string[] {
    return [CITY_CODE, county, town].filter((code) => this.warmRegions.has(code))
  }

  private addMonth(region: string, group: MonthSum): void {
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

  private addHour(region: string, slot: HourSum): void {
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
