import { THEME_IDS, type ThemeId } from '../../../dashboards/types'
import { CITY_CODE } from '../../../geo/regions'
import { Worker } from '../children'
import { sleep, type EventLoopReading, type Health } from '../server'
import { formatMs, round, type Summary } from '../stats'
import { matchMarkers } from '../matchMarkers'
import type { Sent } from '../workers/sender'
import { PAYMENT_THEMES, SCREEN_ROOMS, split } from './rooms'
import { loopFigure, phase, ratio, type BenchContext, type BenchSection, type Figure } from './types'

/** Screens per client process: enough processes that no client's own loop delays what it stamps. */
const SCREENS_PER_PROCESS = 150

interface ScreenRecord {
  room: string
  advances: Array<[number, number]>
  updates: number
  connected: boolean
}

export interface Run {
  screens: number
  batches: number
  all: Summary
  byTheme: Record<string, Summary>
  missed: number
  expected: number
  serverHealth: { count: number; p50: number | null; p95: number | null; unshown: number }
  hubQueriesPerSec: number
  loop: EventLoopReading
  clientLoopP99Ms: number
  failedBatches: number
  /** screens whose socket was closed by the end (a wall showing stale numbers) */
  disconnected: number
  /** the server's own view at the end (JSON only): room compute times by theme, rule runs */
  serverView: { tickComputeMs: unknown; rules: unknown }
}

/**
 * Ingest → screen, at the screen: payment batches with a marker time go to one county each; every
 * screen (a Socket.IO client with the display token, in client processes of their own) stamps the
 * update whose asOf first reaches a batch's marker. Samples: each (batch, screen) whose room the
 * batch changes (a theme showing payments, at the city or the batch's county), ack → arrival.
 * Once with one screen per room, once with `screens` screens.
 */
export const ingestToScreen: BenchSection = {
  id: 'ingest-to-screen',
  title: 'Ingest → screen, measured at the screens (display tokens, wall rooms, rule engine on)',
  async run(context) {
    const { options, server, log } = context
    const idle = await phase(server, () => sleep(5000))
    const light = await measure(context, SCREEN_ROOMS.length, options.lightBatches)
    log(`one screen per room: ${formatMs(light.all)}, missed ${light.missed}`)
    const loaded = await measure(context, options.screens, options.loadedBatches)
    log(`${options.screens} screens: ${formatMs(loaded.all)}, missed ${loaded.missed}`)

    const absolute: Figure[] = [loopFigure('idle, no screens', idle.loop)]
    for (const run of [light, loaded]) {
      const who = `${run.screens} screens`
      absolute.push({ label: `${who}, ${run.batches} batches of ${options.batchRows} rows every ${options.batchIntervalMs} ms: ack → screen p50 / p95 / p99`, value: formatMs(run.all) })
      for (const theme of THEME_IDS.filter((t) => PAYMENT_THEMES.has(t))) absolute.push({ label: `  ${theme}`, value: formatMs(run.byTheme[theme]) })
      absolute.push({ label: `${who}: (batch, screen) pairs never shown within ${options.settleMs / 1000} s of the last batch`, value: `${run.missed} of ${run.expected}${run.failedBatches ? `; ${run.failedBatches} batches refused` : ''}${run.disconnected ? `; ${run.disconnected} screens disconnected` : ''}` })
      absolute.push({ label: `${who}: /api/health live.ingestToScreenMs (server, ack → emit per room, since start) p50 / p95`, value: `${run.serverHealth.p50} / ${run.serverHealth.p95} ms (n=${run.serverHealth.count}, unshown ${run.serverHealth.unshown})` })
      absolute.push({ label: `${who}: hub database queries/s; rule runs so far (last took)`, value: `${run.hubQueriesPerSec}; ${(run.serverView.rules as Health['rules'])?.runs ?? '—'} (${(run.serverView.rules as Health['rules'])?.lastRunMs ?? '—'} ms)` })
      absolute.push(loopFigure(`${who} and batches`, run.loop))
      absolute.push({ label: `${who}: client processes' own event-loop delay p99 (their stamps are this late at most)`, value: `${run.clientLoopP99Ms} ms` })
    }
    const ratios: Figure[] = [
      { label: `ack → screen p50 / p95 / p99, ${loaded.screens} screens ÷ ${light.screens} screens`, value: `${ratio(loaded.all.p50, light.all.p50)} / ${ratio(loaded.all.p95, light.all.p95)} / ${ratio(loaded.all.p99, light.all.p99)}` },
      { label: `server event-loop p99, ${light.screens} screens ÷ idle / ${loaded.screens} screens ÷ idle`, value: `${ratio(light.loop.p99Ms, idle.loop.p99Ms)} / ${ratio(loaded.loop.p99Ms, idle.loop.p99Ms)}` },
    ]
    const refresh = context.results.get('full-refresh')?.data.perTheme as Record<string, { summary: Summary }> | undefined
    if (refresh) {
      ratios.push({ label: `ack → screen p95 (${loaded.screens} screens) ÷ full refresh p50, overview / payments`, value: `${ratio(loaded.byTheme.overview.p95, refresh.overview.summary.p50)} / ${ratio(loaded.byTheme.payments.p95, refresh.payments.summary.p50)}` })
    }
    return { absolute, ratios, data: { idle: idle.loop, light, loaded } }
  },
}

/**
 * `catchUpMs`: how long to wait for the screens to show the warm-up before measuring anyway.
 * `during`: load run alongside the latency batches (started with the first of them); it resolves to
 * the moment it ended, and only batches acknowledged by then are counted.
 */
export async function measure(context: BenchContext, screens: number, batches: number, catchUpMs = 300_000, during?: () => Promise<number>): Promise<Run> {
  const { options, server } = context
  const rooms = Array.from({ length: screens }, (_, i) => SCREEN_ROOMS[i % SCREEN_ROOMS.length])
  const workers = split(rooms, Math.ceil(screens / SCREENS_PER_PROCESS)).map((slice, i) => ({ slice, worker: Worker.start('screens', `screens-${i}`) }))
  const sender = Worker.start('sender')
  try {
    const connected = await Promise.all(workers.map(({ slice, worker }) => worker.request<{ connected: number; failed: number }>('connect', { url: server.url, token: server.displayToken, rooms: slice })))
    const failed = connected.reduce((sum, c) => sum + c.failed, 0)
    if (failed > 0) throw new Error(`${failed} of ${screens} screens could not subscribe`)
    const warmUp = 2
    const firstBatch = context.takeBatchNumbers(warmUp + batches)
    const markers = (first: number, count: number) =>
      sender.request<Sent[]>('markers', { url: server.url, token: server.ingestToken, runId: context.runId, firstBatch: first, batches: count, rows: options.batchRows, intervalMs: options.batchIntervalMs })
    const warm = await markers(firstBatch, warmUp)
    // A server still working through an earlier phase's batches would put that backlog into this
    // phase: start once every city screen of a payments theme shows the warm-up (at most catchUpMs).
    const caughtUp = await shownEverywhere(workers.map(({ worker }) => worker), Math.max(...warm.map((batch) => batch.markerMs)), catchUpMs)
    context.log(`${screens} screens: the server showed the warm-up ${caughtUp === null ? `not within ${Math.round(catchUpMs / 1000)} s` : `after ${Math.round(caughtUp / 1000)} s`}`)
    await Promise.all(workers.map(({ worker }) => worker.request('collect'))) // forget the warm-up
    const before = await server.health()
    const startedAt = Date.now()
    const { value: sent, loop } = await phase(server, async () => {
      const load = during?.()
      const sent = await markers(firstBatch + warmUp, batches)
      const until = load ? await load : Infinity
      await sleep(options.settleMs)
      return sent.filter((batch) => batch.ackAt <= until)
    })
    const after = await server.health()
    const seen = await Promise.all(workers.map(({ worker }) => worker.request<{ screens: ScreenRecord[]; clientLoopP99Ms: number }>('collect')))
    return {
      screens,
      batches: sent.length,
      ...matchMarkers(sent.filter((batch) => batch.status === 200), seen.flatMap((s) => s.screens), PAYMENT_THEMES),
      serverHealth: after.live!.ingestToScreenMs,
      hubQueriesPerSec: queriesPerSec(before, after, startedAt),
      loop,
      clientLoopP99Ms: Math.max(...seen.map((s) => s.clientLoopP99Ms)),
      failedBatches: sent.filter((batch) => batch.status !== 200).length,
      disconnected: seen.flatMap((s) => s.screens).filter((screen) => !screen.connected).length,
      serverView: { tickComputeMs: (after.live as { tickComputeMs?: unknown } | undefined)?.tickComputeMs, rules: after.rules },
    }
  } finally {
    await Promise.all(workers.map(async ({ worker }) => {
      await worker.request('close').catch(() => {})
      await worker.stop()
    }))
    await sender.stop()
  }
}

/** Ms until every city screen of a payments theme showed `markerMs`, or null after `limitMs`. */
async function shownEverywhere(workers: Worker[], markerMs: number, limitMs: number): Promise<number | null> {
  const started = Date.now()
  while (Date.now() - started < limitMs) {
    const screens = (await Promise.all(workers.map((worker) => worker.request<Array<{ room: string; newest: number }>>('newest')))).flat()
    const city = screens.filter(({ room }) => room.endsWith(`:${CITY_CODE}`) && PAYMENT_THEMES.has(room.split(':')[0] as ThemeId))
    if (city.every(({ newest }) => newest >= markerMs)) return Date.now() - started
    await sleep(500)
  }
  return null
}

function queriesPerSec(before: Health, after: Health, startedAt: number): number {
  return round(((after.live?.dbQueries ?? 0) - (before.live?.dbQueries ?? 0)) / ((Date.now() - startedAt) / 1000), 1)
}
