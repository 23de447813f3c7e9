import type { Panel } from '../../dashboards/types'

/**
 * The worst level a value reaches under a panel's thresholds, or null when it is normal. A
 * `behind` threshold needs the data's reference (序时进度): without one it never fires.
 */
export function levelOf(thresholds: Panel['thresholds'], value: number, reference?: number): 'warn' | 'critical' | null {
  let level: 'warn' | 'critical' | null = null
  for (const t of thresholds) {
    const hit =
      (t.above !== undefined && value > t.above) ||
      (t.below !== undefined && value < t.below) ||
      (t.behind !== undefined && reference !== undefined && value < reference - t.behind)
    if (hit && (t.level === 'critical' || level === null)) level = t.level
  }
  return level
}
