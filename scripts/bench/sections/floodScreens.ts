import { prepareSenders } from './backToBack'
import { formatMs } from '../stats'
import type { Sent } from '../workers/sender'
import { measure, type Run } from './ingestToScreen'
import { SCREEN_ROOMS } from './rooms'
import { loopFigure, ratio, type BenchContext, type Figure } from './types'

/**
 * Do the screens keep up while ingest floods? One screen per room watches while a latency feed
 * posts a small marked batch every 2 s, once on a quiet server and once while senders post 10k-row
 * batches back to back. Ack → screen is measured at the screens the same way both times
 * (ingestToScreen.ts), so the ratio says what the flood costs the wall.
 *
 * Three flood senders, not four: with the marker feed that makes four ingests at once, the server's
 * cap; a fifth would be answered 429 (a real feed retries after Retry-After, the marker feed counts
 * it as lost). Flood batches are built before the clock starts; markers acknowledged after the flood
 * ended are not counted.
 */
/**
 * 32 markers each way (a marker every 2 s): with 16, a p95 rested on the second-slowest of 14
 * markers, and the flood's ratio to quiet moved between 1.02× and 1.38× from run to run of the same
 * build, so it could not say whether the target (unchanged) was met.
 */
const MARKER_BATCHES = 32
const FLOOD_SENDERS = 3
/**
 * Enough 10k-row batches per sender to outlast the markers (32 × 2 s) at up to ~35k rows/s: with
 * 52, a flood at 34k rows/s ended after 23 of them.
 */
const FLOOD_BATCHES_PER_SENDER = 75

export interface FloodScreens {
  quiet: Run
  flood: Run
  floodRowsPerSec: number
  floodBatches: number
  floodRefused: number
}

export async function screensDuringFlood(context: BenchContext): Promise<FloodScreens> {
  const { options, server, log } = context
  const quiet = await measure(context, SCREEN_ROOMS.length, MARKER_BATCHES)
  log(`screens, quiet: ack → screen ${formatMs(quiet.all)}`)
  const senders = await prepareSenders(context, server, FLOOD_SENDERS, FLOOD_BATCHES_PER_SENDER, 'flood')
  try {
    let flooded: Sent[] = []
    const flood = await measure(context, SCREEN_ROOMS.length, MARKER_BATCHES, 300_000, async () => {
      flooded = (await Promise.all(senders.map((worker) => worker.request<Sent[]>('send')))).flat()
      return Math.max(...flooded.map((batch) => batch.ackAt))
    })
    const ok = flooded.filter((batch) => batch.status === 200)
    const spanMs = Math.max(...flooded.map((batch) => batch.ackAt)) - Math.min(...flooded.map((batch) => batch.sentAt))
    const floodRowsPerSec = Math.round((ok.length * options.ingestRows) / (spanMs / 1000))
    log(`screens, ${FLOOD_SENDERS} senders flooding at ${floodRowsPerSec} rows/s: ack → screen ${formatMs(flood.all)}, ${flood.batches} markers during the flood`)
    return { quiet, flood, floodRowsPerSec, floodBatches: flooded.length, floodRefused: flooded.length - ok.length }
  } finally {
    await Promise.all(senders.map((worker) => worker.stop()))
  }
}

export function floodFigures(result: FloodScreens, rows: number): { absolute: Figure[]; ratios: Figure[] } {
  const { quiet, flood } = result
  const pairs = (run: Run) => `${run.missed} of ${run.expected} (batch, screen) pairs never shown${run.disconnected ? `; ${run.disconnected} screens disconnected` : ''}`
  return {
    absolute: [
      { label: `screens (one per room), quiet: ${quiet.batches} marker batches: ack → screen p50 / p95 / p99`, value: formatMs(quiet.all) },
      { label: `screens, quiet: not shown`, value: pairs(quiet) },
      loopFigure('screens, quiet', quiet.loop),
      {
        label: `screens while ${FLOOD_SENDERS} senders post ${rows.toLocaleString()}-row batches back to back: flood rows/s`,
        value: `${result.floodRowsPerSec.toLocaleString()} (${result.floodBatches} batches${result.floodRefused ? `, ${result.floodRefused} refused` : ''})`,
      },
      { label: `screens during the flood: ${flood.batches} marker batches acknowledged while it ran: ack → screen p50 / p95 / p99`, value: formatMs(flood.all) },
      { label: `screens during the flood: not shown`, value: pairs(flood) },
      loopFigure('screens during the flood', flood.loop),
    ],
    ratios: [
      { label: 'ack → screen p50 / p95, during the flood ÷ quiet (target: p95 unchanged)', value: `${ratio(flood.all.p50, quiet.all.p50)} / ${ratio(flood.all.p95, quiet.all.p95)}` },
    ],
  }
}
