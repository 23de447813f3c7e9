import { Worker } from '../children'
import type { BenchServer } from '../server'
import type { BenchContext } from './types'

/**
 * Senders that post payment batches back to back, each in a process of its own, with their bodies
 * built and serialized before the clock starts (`send` on each worker then posts them and returns
 * what it sent). The batches are paid an hour back: older than the latency markers, so no screen's
 * asOf moves for them. The caller stops the workers.
 */
export async function prepareSenders(context: BenchContext, server: BenchServer, count: number, batches: number, name: string, rows = context.options.ingestRows): Promise<Worker[]> {
  const workers = Array.from({ length: count }, (_, i) => Worker.start('sender', `${name}-${i}`))
  try {
    const payTimeMs = Math.floor((Date.now() - 3600_000) / 1000) * 1000
    await Promise.all(workers.map((worker) =>
      worker.request('prepare', { url: server.url, token: server.ingestToken, runId: context.runId, firstBatch: context.takeBatchNumbers(batches), batches, rows, payTimeMs }),
    ))
    return workers
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.stop()))
    throw error
  }
}
