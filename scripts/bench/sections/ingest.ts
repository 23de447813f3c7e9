import { Worker } from '../children'
import { round } from '../stats'
import type { Sent } from '../workers/sender'
import { loopFigure, phase, ratio, type BenchContext, type BenchSection, type Figure } from './types'

/**
 * Ingest throughput through POST /api/ingest/payments, from sender processes: bodies are built and
 * serialized before the clock starts; each sender's first batch is a warm-up, not timed. Once with
 * one sender, once with two at the same time. The rule engine runs as in production.
 */
export const ingest: BenchSection = {
  id: 'ingest',
  title: 'Ingest throughput (HTTP, senders in their own processes, warm-up excluded)',
  async run(context) {
    const { options, log } = context
    const one = await senders(context, 1)
    log(`ingest, 1 sender: ${one.rowsPerSec} rows/s`)
    const two = await senders(context, 2)
    log(`ingest, 2 senders: ${two.rowsPerSec} rows/s`)
    const absolute: Figure[] = []
    for (const run of [one, two]) {
      absolute.push({ label: `${run.senders} sender(s), ${run.timedBatches} timed batches of ${options.ingestRows.toLocaleString()} rows: rows/s`, value: `${run.rowsPerSec.toLocaleString()}${run.refused ? ` (${run.refused} refused)` : ''}` })
      absolute.push({ label: `${run.senders} sender(s): per batch mean / max`, value: `${run.meanMs} / ${run.maxMs} ms (n=${run.timedBatches}, too few for percentiles)` })
      absolute.push(loopFigure(`${run.senders} sender(s)`, run.loop))
    }
    const ratios: Figure[] = [{ label: 'rows/s, 2 senders ÷ 1 sender', value: ratio(two.rowsPerSec, one.rowsPerSec) }]
    return { absolute, ratios, data: { one, two } }
  },
}

async function senders(context: BenchContext, count: number) {
  const { options, server } = context
  const workers = Array.from({ length: count }, (_, i) => Worker.start('sender', `sender-${i}`))
  try {
    const batches = options.ingestBatches + 1
    // An hour back: older than the latency markers, so the screens' asOf is not moved by these.
    const payTimeMs = Math.floor((Date.now() - 3600_000) / 1000) * 1000
    await Promise.all(workers.map((worker) =>
      worker.request('prepare', { url: server.url, token: server.ingestToken, runId: context.runId, firstBatch: context.takeBatchNumbers(batches), batches, rows: options.ingestRows, payTimeMs }),
    ))
    const { value: sent, loop } = await phase(server, () => Promise.all(workers.map((worker) => worker.request<Sent[]>('send'))))
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
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()))
  }
}
