import fs from 'node:fs'
import os from 'node:os'
import { baselineCheckout, baselineDataDir } from '../baseline'
import { processCpuMs, startBenchServer, untilIdle, type BenchServer, type EventLoopReading } from '../server'
import { round } from '../stats'
import type { Sent } from '../workers/sender'
import { prepareSenders } from './backToBack'
import { floodFigures, screensDuringFlood } from './floodScreens'
import { loopFigure, phase, ratio, type BenchContext, type BenchSection, type Figure } from './types'

/**
 * The measured phases: senders at once (4 = the server's cap of ingests worked on at once) and rows
 * per batch. The last sends small batches, as a live feed does: there storing's fixed cost per
 * batch (its statements, its parts) weighs most, and group commit (server/ingest/groupCommit.ts)
 * shares it. Its senders send 10 times the batches, a tenth of the rows each.
 */
const PHASES = [
  { senders: 1, small: false },
  { senders: 4, small: false },
  { senders: 4, small: true },
] as const
const SMALL_BATCH_ROWS = 1_000

interface SenderRun {
  senders: number
  rows: number
  timedBatches: number
  refused: number
  rowsPerSec: number
  meanMs: number
  maxMs: number
  loop: EventLoopReading
  /** the server process's CPU (all its threads, the engine's included) per batch over the phase, ms */
  cpuMsPerBatch: number
  /** that CPU as a share of the machine's cores over the phase, % */
  coresBusyPercent: number
}

/**
 * Ingest throughput through POST /api/ingest/payments, from sender processes: bodies are built and
 * serialized before the clock starts; each sender's first batch is a warm-up, not timed. Once with
 * one sender, once with four at the same time, with the server's event-loop delay over each phase.
 * The rule engine runs as in production. Next, on this build, whether the screens keep up during a
 * flood: ack → screen quiet and while senders post back to back (floodScreens.ts). With
 * `--baseline <ref>` the sender phases then run against that commit's server, on a copy of this
 * run's data directory taken before it started (pages off): the previous figures beside these,
 * measured in the same run on the same machine.
 */
export const ingest: BenchSection = {
  id: 'ingest',
  title: 'Ingest throughput (HTTP, senders in their own processes, warm-up excluded)',
  async run(context) {
    const { options, log } = context
    const current = await measure(context, context.server, 'this build')
    const screens = await screensDuringFlood(context)
    let baseline: { ref: string; commit: string; runs: SenderRun[] } | null = null
    if (options.baseline) {
      // This build's server keeps running: the baseline starts when it has done with the flood.
      await untilIdle(context.server.pid, log)
      const { dir, commit } = baselineCheckout(options.baseline, log)
      // A copy of this run's data as it was at the start (bench.ts), or seeded anew in a fresh run.
      const dataDir = baselineDataDir(options.dataDir)
      if (options.fresh) fs.rmSync(dataDir, { recursive: true, force: true })
      const server = await startBenchServer({ dataDir, demoScale: options.demoScale, apiOnly: true, runId: context.runId, log, cwd: dir })
      try {
        baseline = { ref: options.baseline, commit, runs: await measure(context, server, `baseline ${options.baseline}`) }
      } finally {
        await server.stop()
      }
    }
    const absolute: Figure[] = []
    const ratios: Figure[] = []
    for (const [i, run] of current.entries()) {
      const before = baseline?.runs[i]
      const was = (text: string) => (before ? `   (${baseline!.ref}: ${text})` : '')
      absolute.push({
        label: `${run.senders} sender(s), ${run.timedBatches} timed batches of ${run.rows.toLocaleString()} rows: rows/s`,
        value: `${run.rowsPerSec.toLocaleString()}${run.refused ? ` (${run.refused} refused)` : ''}${was(before ? `${before.rowsPerSec.toLocaleString()}${before.refused ? ` (${before.refused} refused)` : ''}` : '')}`,
      })
      const who = `${run.senders} sender(s)${run.rows === options.ingestRows ? '' : ` of ${run.rows.toLocaleString()}-row batches`}`
      absolute.push({ label: `${who}: per batch mean / max`, value: `${run.meanMs} / ${run.maxMs} ms (n=${run.timedBatches}, too few for percentiles)${was(before ? `${before.meanMs} / ${before.maxMs} ms` : '')}` })
      absolute.push({
        label: `${who}: server CPU per ${run.rows.toLocaleString()}-row batch (every thread, the engine's too) / share of the ${os.availableParallelism()} cores`,
        value: `${run.cpuMsPerBatch} ms / ${run.coresBusyPercent} %${was(before ? `${before.cpuMsPerBatch} ms / ${before.coresBusyPercent} %` : '')}`,
      })
      const loop = loopFigure(who, run.loop)
      absolute.push({ ...loop, value: `${loop.value}${was(before ? `${before.loop.p99Ms} / ${before.loop.maxMs} ms` : '')}` })
      if (before) {
        ratios.push({ label: `rows/s, ${who}: this build ÷ ${baseline!.ref}`, value: ratio(run.rowsPerSec, before.rowsPerSec) })
        ratios.push({ label: `event-loop delay p99, ${who}: this build ÷ ${baseline!.ref}`, value: ratio(run.loop.p99Ms, before.loop.p99Ms) })
        ratios.push({ label: `server CPU per batch, ${who}: this build ÷ ${baseline!.ref}`, value: ratio(run.cpuMsPerBatch, before.cpuMsPerBatch) })
      }
    }
    ratios.unshift({ label: `rows/s, ${PHASES[1].senders} senders ÷ 1 sender`, value: ratio(current[1].rowsPerSec, current[0].rowsPerSec) })
    if (baseline) absolute.push({ label: 'baseline', value: `${baseline.ref} = ${baseline.commit.slice(0, 12)} (its server, on a copy of this run's data as it was at the start, pages off)` })
    const flood = floodFigures(screens, options.ingestRows)
    absolute.push(...flood.absolute)
    ratios.push(...flood.ratios)
    return { absolute, ratios, data: { runs: current, baseline, screens } }
  },
}

async function measure(context: BenchContext, server: BenchServer, name: string): Promise<SenderRun[]> {
  const runs: SenderRun[] = []
  for (const { senders: count, small } of PHASES) {
    const run = await senders(context, server, count, small)
    context.log(`ingest, ${name}, ${count} sender(s) of ${run.rows}-row batches: ${run.rowsPerSec} rows/s, event-loop delay p99 ${run.loop.p99Ms} ms`)
    runs.push(run)
  }
  return runs
}

async function senders(context: BenchContext, server: BenchServer, count: number, small: boolean): Promise<SenderRun> {
  const { options } = context
  const rows = small ? SMALL_BATCH_ROWS : options.ingestRows
  const batches = small ? options.ingestBatches * 10 : options.ingestBatches
  const workers = await prepareSenders(context, server, count, batches + 1, 'sender', rows)
  try {
    const cpuBefore = processCpuMs(server.pid)
    const phaseStarted = Date.now()
    const { value: sent, loop } = await phase(server, () => Promise.all(workers.map((worker) => worker.request<Sent[]>('send'))))
    const cpuUsed = processCpuMs(server.pid) - cpuBefore
    const phaseMs = Date.now() - phaseStarted
    const timed = sent.flatMap((batches) => batches.slice(1))
    const from = Math.min(...sent.map((batches) => batches[1]?.sentAt ?? batches[0].ackAt))
    const to = Math.max(...timed.map((batch) => batch.ackAt))
    const ok = timed.filter((batch) => batch.status === 200)
    const durations = timed.map((batch) => batch.ackAt - batch.sentAt)
    return {
      senders: count,
      rows,
      timedBatches: timed.length,
      refused: timed.length - ok.length,
      rowsPerSec: Math.round((ok.length * rows) / ((to - from) / 1000)),
      meanMs: round(durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length)),
      maxMs: Math.max(...durations),
      loop,
      // Warm-up batches included: the CPU is read over the whole phase.
      cpuMsPerBatch: Math.round(cpuUsed / sent.flat().length),
      coresBusyPercent: Math.round((cpuUsed / phaseMs / os.availableParallelism()) * 100),
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()))
  }
}
