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

/**
 * Rooms computed per slice by computeAndApply. Dealing a theme's 89 rooms out and applying them in
 * one go held the event loop 70–200 ms at a time while ingest ran (4 senders of 10k-row batches,
 * main-thread profile): ticks, socket writes and ingest acks waited behind it.
 */
export const ROOMS_PER_SLICE = 12

/**
 * computeRooms in slices of ROOMS_PER_SLICE rooms, each slice's results applied as it is done,
 * and the event loop given a turn (setImmediate) before the next slice. The memo answers later
 * slices from the shared selects the first one read, so slicing adds no query.
 */
export async function computeAndApply(
  memo: MetricMemo,
  rooms: Room[],
  panels: LivePanel[],
  fail: (room: Room, what: string, error: unknown) => void,
  apply: (result: RoomResult) => void,
): Promise<void> {
  for (let start = 0; start < rooms.length; start += ROOMS_PER_SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve))
    for (const result of await computeRooms(memo, rooms.slice(start, start + ROOMS_PER_SLICE), panels, fail)) apply(result)
  }
}
