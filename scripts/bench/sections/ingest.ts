import fs from 'node:fs'
import os from 'node:os'
import { baselineCheckout, baselineDataDir } from '../baseline'
import { processCpuMs, startBenchServer, untilIdle, type BenchServer, type EventLoopReading } from '../server'
import { round } from '../stats'
import type { Sent } from '../workers/sender'
import { prepareSenders } from './backToBack'
import { floodFigures, screensDuringFlood } from './floodScreens'
import { loopFigure, phase, ratio, type BenchContext, type BenchSection, type Figure } from './types'

/** Senders at once in the two measured phases (4 = the server's cap of ingests worked on at once). */
const SENDER_COUNTS = [1, 4] as const

interface SenderRun {
  senders: number
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
        label: `${run.senders} sender(s), ${run.timedBatches} timed batches of ${options.ingestRows.toLocaleString()} rows: rows/s`,
        value: `${run.rowsPerSec.toLocaleString()}${run.refused ? ` (${run.refused} refused)` : ''}${was(before ? `${before.rowsPerSec.toLocaleString()}${before.refused ? ` (${before.refused} refused)` : ''}` : '')}`,
      })
      absolute.push({ label: `${run.senders} sender(s): per batch mean / max`, value: `${run.meanMs} / ${run.maxMs} ms (n=${run.timedBatches}, too few for percentiles)${was(before ? `${before.meanMs} / ${before.maxMs} ms` : '')}` })
      absolute.push({
        label: `${run.senders} sender(s): server CPU per ${options.ingestRows.toLocaleString()}-row batch (every thread, the engine's too) / share of the ${os.availableParallelism()} cores`,
        value: `${run.cpuMsPerBatch} ms / ${run.coresBusyPercent} %${was(before ? `${before.cpuMsPerBatch} ms / ${before.coresBusyPercent} %` : '')}`,
      })
      const loop = loopFigure(`${run.senders} sender(s)`, run.loop)
      absolute.push({ ...loop, value: `${loop.value}${was(before ? `${before.loop.p99Ms} / ${before.loop.maxMs} ms` : '')}` })
      if (before) {
        ratios.push({ label: `rows/s, ${run.senders} sender(s): this build ÷ ${baseline!.ref}`, value: ratio(run.rowsPerSec, before.rowsPerSec) })
        ratios.push({ label: `event-loop delay p99, ${run.senders} sender(s): this build ÷ ${baseline!.ref}`, value: ratio(run.loop.p99Ms, before.loop.p99Ms) })
        ratios.push({ label: `server CPU per batch, ${run.senders} sender(s): this build ÷ ${baseline!.ref}`, value: ratio(run.cpuMsPerBatch, before.cpuMsPerBatch) })
      }
    }
    ratios.unshift({ label: `rows/s, ${SENDER_COUNTS[1]} senders ÷ 1 sender`, value: ratio(current[1].rowsPerSec, current[0].rowsPerSec) })
    if (baseline) absolute.push({ label: 'baseline', value: `${baseline.ref} = ${baseline.commit.slice(0, 12)} (its server, on a copy of this run's data as it was at the start, pages off)` })
    const flood = floodFigures(screens, options.ingestRows)
    absolute.push(...flood.absolute)
    ratios.push(...flood.ratios)
    return { absolute, ratios, data: { runs: current, baseline, screens } }
  },
}

async function measure(context: BenchContext, server: BenchServer, name: string): Promise<SenderRun[]> {
  const runs: SenderRun[] = []
  for (const count of SENDER_COUNTS) {
    const run = await senders(context, server, count)
    context.log(`ingest, ${name}, ${count} sender(s): ${run.rowsPerSec} rows/s, event-loop delay p99 ${run.loop.p99Ms} ms`)
    runs.push(run)
  }
  return runs
}

async function senders(context: BenchContext, server: BenchServer, count: number): Promise<SenderRun> {
  const { options } = context
  const workers = await prepareSenders(context, server, count, options.ingestBatches + 1, 'sender')
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
      timedBatches: timed.length,
      refused: timed.length - ok.length,
      rowsPerSec: Math.round((ok.length * options.ingestRows) / ((to - from) / 1000)),
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
