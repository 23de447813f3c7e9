import type { Panel } from '../../dashboards/types'

/** The worst level a value reaches under a panel's thresholds, or null when it is normal. */
export function levelOf(thresholds: Panel['thresholds'], value: number): 'warn' | 'critical' | null {
  let level: 'warn' | 'critical' | null = null
  for (const t of thresholds) {
    const hit = (t.above !== undefined && value > t.above) || (t.below !== undefined && value < t.below)
    if (hit && (t.level === 'critical' || level === null)) level = t.level
  }
  return level
}
