import type { Dashboard, PanelData, Panel, ThemeId, Snapshot } from '../../dashboards/types'
import { roomName } from '../../dashboards/types'
import type { MetricDefinition } from '../metrics/define'
import { LatencyRing } from './latency'
import { resultHash } from './resultHash'
import { withoutPersonColumns } from './wallView'

export interface LivePanel {
  panel: Panel
  metric: MetricDefinition
}

/**
 * One (dashboard, region) pair held in memory: the panels last computed, their hashes and the
 * seq of the last update. Everyone subscribed to the same pair shares it, and a subscription is
 * answered from it without touching the database.
 */
export class Room {
  readonly name: string
  seq = 0
  panels: Record<string, PanelData> = {}
  private hashes = new Map<string, string>()
  asOf: string | null = null
  computedAt: string | null = null
  computedAtMs = 0
  computations = 0
  /** A computation of this room alone (a room not kept warm, on its first subscription). */
  inflight: Promise<void> | undefined
  /** Set while a warm pass is computing this room's theme. */
  computing = false
  readonly computeMs = new LatencyRing(200)
  /** Panel errors already logged, so a broken panel logs once, not every pass. */
  readonly loggedErrors = new Set<string>()

  constructor(
    readonly dashboard: Dashboard,
    readonly region: string,
    readonly livePanels: LivePanel[],
    /** Kept current by the scheduler whether or not anyone watches. */
    readonly warm: boolean,
  ) {
    this.name = roomName(dashboard.id as ThemeId, region)
  }

  /** Stores the new results and returns only the panels whose data differ from the last sent. */
  absorb(results: Record<string, PanelData>): Record<string, PanelData> {
    const changed: Record<string, PanelData> = {}
    for (const [panelId, data] of Object.entries(results)) {
      const hash = resultHash(data)
      if (this.hashes.get(panelId) === hash) continue
      this.hashes.set(panelId, hash)
      this.panels[panelId] = data
      changed[panelId] = data
    }
    return changed
  }

  /**
   * The room as a subscriber may see it. Wall screens (display tokens) get aggregates only: the
   * columns a metric marks as identifying persons are dropped here, from the warm state, every time.
   */
  snapshot(forWall: boolean): Snapshot {
    return {
      ok: true,
      room: this.name,
      seq: this.seq,
      asOf: this.asOf,
      computedAt: this.computedAt ?? new Date().toISOString(),
      panels: forWall ? this.forWall(this.panels) : { ...this.panels },
    }
  }

  forWall(panels: Record<string, PanelData>): Record<string, PanelData> {
    const metricOf = new Map(this.livePanels.map((live) => [live.panel.id, live.metric]))
    return Object.fromEntries(Object.entries(panels).map(([id, data]) => [id, withoutPersonColumns(data, metricOf.get(id)?.personColumns)]))
  }
}
