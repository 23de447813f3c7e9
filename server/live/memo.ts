import type { Db } from '../db/client'
import type { PanelData } from '../../dashboards/types'
import { runMetric, type MetricRegistry } from '../metrics/registry'
import { withQueryCache, type QueryCacheBatches } from '../metrics/sql/query'
import { newestPaymentTime } from './asOf'

/**
 * Results shared between rooms within one pass of the scheduler: the overview and
 * the payments theme of one region both show payments.total, and it is queried once. Below the
 * metrics, identical queries are shared too (the query cache): total, count, success rate, status
 * split, trends and asOf of one region all read the same region summary.
 */
export class MetricMemo {
  private results = new Map<string, Promise<PanelData>>()
  private freshness = new Map<string, Promise<string | null>>()
  private readonly queries: ReturnType<typeof withQueryCache>

  /**
   * `regions`: the regions of a warm pass, read together by the metrics' shared selects;
   * `seeded`: rows of some of those selects already known (see additive.ts).
   */
  constructor(
    db: Db,
    private readonly registry: MetricRegistry,
    regions: Iterable<string> = [],
    seeded?: ReadonlyMap<string, Map<string, unknown>>,
  ) {
    this.queries = withQueryCache(db, { regions, seeded })
  }

  /** The pass's per-region reads (sql/query.ts perRegion), for the additive figures to keep. */
  get batches(): QueryCacheBatches {
    return this.queries.batches
  }

  clear(): void {
    this.results.clear()
    this.freshness.clear()
    this.queries.clear()
  }

  run(metric: string, params: Record<string, unknown>): Promise<PanelData> {
    // Plain JSON: params built in another key order only miss the share and are computed again.
    const key = `${metric}|${JSON.stringify(params)}`
    let result = this.results.get(key)
    if (!result) {
      result = runMetric(this.queries.db, metric, params, this.registry)
      // A failure is not remembered: the next room or tick tries again.
      result.catch(() => this.results.delete(key))
      this.results.set(key, result)
    }
    return result
  }

  asOf(region: string): Promise<string | null> {
    let result = this.freshness.get(region)
    if (!result) {
      result = newestPaymentTime(this.queries.db, region)
      result.catch(() => this.freshness.delete(region))
      this.freshness.set(region, result)
    }
    return result
  }
}
