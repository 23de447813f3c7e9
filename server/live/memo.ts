import type { Db } from '../db/client'
import type { PanelData } from '../../dashboards/types'
import { runMetric, type MetricRegistry } from '../metrics/registry'
import { stableJson } from './stableHash'
import { newestPaymentTime } from './asOf'

/**
 * Results shared between rooms until the data changes or the next tick starts: the overview and
 * the payments theme of one region both show payments.total, and it is queried once.
 */
export class MetricMemo {
  private results = new Map<string, Promise<PanelData>>()
  private freshness = new Map<string, Promise<string | null>>()

  constructor(
    private readonly db: Db,
    private readonly registry: MetricRegistry,
  ) {}

  clear(): void {
    this.results.clear()
    this.freshness.clear()
  }

  run(metric: string, params: Record<string, unknown>): Promise<PanelData> {
    const key = `${metric}|${stableJson(params)}`
    let result = this.results.get(key)
    if (!result) {
      result = runMetric(this.db, metric, params, this.registry)
      // A failure is not remembered: the next room or tick tries again.
      result.catch(() => this.results.delete(key))
      this.results.set(key, result)
    }
    return result
  }

  asOf(region: string): Promise<string | null> {
    let result = this.freshness.get(region)
    if (!result) {
      result = newestPaymentTime(this.db, region)
      result.catch(() => this.freshness.delete(region))
      this.freshness.set(region, result)
    }
    return result
  }
}
