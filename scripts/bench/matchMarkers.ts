import { THEME_IDS, type ThemeId } from '../../dashboards/types'
import { CITY_CODE } from '../../geo/regions'
import { summarize, type Summary } from './stats'

/** A latency batch as its sender saw it: the marker is its rows' pay_time, the newest in its county. */
export interface MarkedBatch {
  county: string | null
  markerMs: number
  ackAt: number
}

/** What one screen saw: its room, and [arrival, asOf] each time the room's asOf moved forward. */
export interface ScreenSeen {
  room: string
  advances: Array<[number, number]>
}

export interface Matched {
  all: Summary
  byTheme: Record<string, Summary>
  /** (batch, screen) pairs the batch changes that never showed it */
  missed: number
  expected: number
}

/**
 * Ingest → screen per (batch, screen): a batch changes the rooms of `themes` (those showing
 * payments) at the city and at the batch's county; the screen shows it with the first update whose
 * asOf reaches the batch's marker (markers only grow, so a later batch shown first counts as
 * this one shown then, as the screen saw it). Sample: arrival − ack.
 */
export function matchMarkers(batches: MarkedBatch[], screens: ScreenSeen[], themes: ReadonlySet<string>): Matched {
  const all: number[] = []
  const byTheme = new Map<string, number[]>()
  let missed = 0
  let expected = 0
  for (const batch of batches) {
    for (const screen of screens) {
      const [theme, region] = screen.room.split(':') as [ThemeId, string]
      if (!themes.has(theme) || (region !== CITY_CODE && region !== batch.county)) continue
      expected += 1
      const shown = screen.advances.find(([, asOf]) => asOf >= batch.markerMs)
      if (!shown) {
        missed += 1
        continue
      }
      const ms = shown[0] - batch.ackAt
      all.push(ms)
      byTheme.set(theme, [...(byTheme.get(theme) ?? []), ms])
    }
  }
  return { all: summarize(all), byTheme: Object.fromEntries(THEME_IDS.map((theme) => [theme, summarize(byTheme.get(theme) ?? [])])), missed, expected }
}
