import { paymentBatch } from '../../server/ingest/test/fixtures'
import { healthDetails, post, startServer } from './server'

export interface SigtermResult {
  trials: number
  exitZero: number
  answered: number
  consistent: number
}

// Where the signal goes is measured, not how fast a batch is stored: a small batch on warm ingest
// workers (at load 30–36 a cold server's first 3000-row batch took 31 s, past the 8 s grace).
const ROWS = 500

/**
 * `npm start` (its real process tree: npm → sh → node), a batch sent, SIGTERM to npm the moment
 * the body is on the wire. Then a restart: the batch is either whole and acknowledged, or absent
 * and unacknowledged, and a re-post settles it.
 */
export async function sigtermTrials(dataDir: string, trials: number, log: (line: string) => void): Promise<SigtermResult> {
  const result: SigtermResult = { trials: 0, exitZero: 0, answered: 0, consistent: 0 }
  let expectedRows = 0
  for (let trial = 0; trial < trials; trial++) {
    const server = await startServer(dataDir, { viaNpm: true })
    const batchId = `term-${trial}`
    const warm = await post(server.url, '/api/ingest/payments', JSON.stringify({ batchId: `${batchId}-warm`, records: paymentBatch(300_000 + trial * 10, 10) }))
    if ('error' in warm || warm.status !== 200) throw new Error(`sigterm trial ${trial}: warm-up batch answered ${'error' in warm ? warm.error : warm.status}`)
    expectedRows += 10
    const body = JSON.stringify({ batchId, records: paymentBatch(200_000 + trial * ROWS, ROWS) })
    const answer = await post(server.url, '/api/ingest/payments', body, {}, () => process.kill(server.child.pid!, 'SIGTERM'))
    const exit = await server.exited
    result.trials++
    if (exit.code === 0) result.exitZero++
    const acked = !('error' in answer) && answer.status === 200
    if (acked) result.answered++
    // After a restart the batch must be whole if acknowledged; a re-post answers duplicate (stored before) or stored.
    const again = await startServer(dataDir)
    try {
      const before = (await healthDetails(again.url)).rows.payment_detail as number
      const repost = await post(again.url, '/api/ingest/payments', body)
      const status = 'error' in repost ? repost.error : JSON.parse(repost.body).status
      expectedRows += ROWS
      const after = (await healthDetails(again.url)).rows.payment_detail as number
      const whole = acked ? status === 'duplicate' && before === expectedRows : (status === 'stored' || status === 'duplicate') && after === expectedRows
      if (whole && after === expectedRows) result.consistent++
      else log(`sigterm trial ${trial}: exit ${JSON.stringify(exit)}, acked ${acked}, re-post ${status}, rows ${before} → ${after} (expected ${expectedRows})`)
    } finally {
      process.kill(again.child.pid!, 'SIGTERM')
      await again.exited
    }
  }
  return result
}
