import type { Dashboard, PanelData, Panel, ThemeId } from '../../dashboards/types'
import { roomName } from '../../dashboards/types'
import type { DataKind, MetricDefinition } from '../metrics/define'
import { LatencyRing } from './latency'
import { stableHash } from './stableHash'

export interface LivePanel {
  panel: Panel
  metric: MetricDefinition
}

/**
 * One (dashboard, region) pair: the last panels sent, their hashes and the seq of the last
 * update. Everyone subscribed to the same pair shares it, which is what makes 500 screens cost
 * one computation.
 */
export class Room {
  readonly name: string
  readonly reads: ReadonlySet<DataKind>
  seq = 0
  panels: Record<string, PanelData> = {}
  private hashes = new Map<string, string>()
  asOf: string | null = null
  computedAt: string | null = null
  computedAtMs = 0
  /** Data versions seen when the last computation started. */
  seen: ReadonlyMap<DataKind, number> | undefined
  computations = 0
  inflight: Promise<void> | undefined
  readonly computeMs = new LatencyRing(200)
  /** When each panel was last computed (ms), for metrics with a minRefreshMs. */
  readonly panelComputedAt = new Map<string, number>()
  /** Panels with new data held back by their minRefreshMs, and when they are due (ms). */
  readonly deferred = new Map<string, number>()
  /** Panel errors already logged, so a broken panel logs once, not every tick. */
  readonly loggedErrors = new Set<string>()

  constructor(
    readonly dashboard: Dashboard,
    readonly region: string,
    readonly livePanels: LivePanel[],
  ) {
    this.name = roomName(dashboard.id as ThemeId, region)
    this.reads = new Set(livePanels.flatMap((live) => live.metric.reads))
  }

  /** Some panel held back by its minRefreshMs is due by `now`. */
  hasDueDeferred(now: number): boolean {
    for (const dueAt of this.deferred.values()) if (dueAt <= now) return true
    return false
  }

  /** Stores the new results and returns only the panels whose data differ from the last sent. */
  absorb(results: Record<string, PanelData>): Record<string, PanelData> {
    const changed: Record<string, PanelData> = {}
    for (const [panelId, data] of Object.entries(results)) {
      const hash = stableHash(data)
      if (this.hashes.get(panelId) === hash) continue
      this.hashes.set(panelId, hash)
      this.panels[panelId] = data
      changed[panelId] = data
    }
    return changed
  }
}
