import type { PanelData } from '../../dashboards/types'
import { MetricParamsError, notApplicable } from '../metrics/registry'
import type { MetricMemo } from './memo'
import type { LivePanel, Room } from './room'

export interface RoomResult {
  room: Room
  panels: Record<string, PanelData>
  asOf: string | null | undefined
}

/**
 * Computes `panels` for every room of one theme at once. The memo carries the pass's regions, so
 * each shared select reads all of them in one query (sql/query.ts perRegion) and every room takes
 * its share: the cost follows the data, not the number of rooms. A failing panel keeps its last
 * value (reported once through `fail`); the others go on.
 */
export async function computeRooms(
  memo: MetricMemo,
  rooms: Room[],
  panels: LivePanel[],
  fail: (room: Room, what: string, error: unknown) => void,
): Promise<RoomResult[]> {
  return Promise.all(
    rooms.map(async (room) => {
      const results: Record<string, PanelData> = {}
      const asOf = memo.asOf(room.region).catch((error: unknown) => {
        fail(room, 'asOf', error)
        return undefined
      })
      await Promise.all(
        panels.map(async ({ panel }) => {
          try {
            results[panel.id] = await memo.run(panel.metric, { ...panel.params, region: room.region })
          } catch (error) {
            if (error instanceof MetricParamsError) results[panel.id] = notApplicable(error)
            else fail(room, `panel ${panel.id} (${panel.metric})`, error)
          }
        }),
      )
      return { room, panels: results, asOf: await asOf }
    }),
  )
}
