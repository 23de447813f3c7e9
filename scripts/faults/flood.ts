import { paymentBatch } from '../../server/ingest/test/fixtures'
import { post, startServer } from './server'

export interface FloodResult {
  senders: number
  requests: number
  stored: number
  tooMany: number
  withRetryAfter: number
  serverErrors: number
  resets: number
  healthChecks: number
  healthP95Ms: number
  healthMaxMs: number
}

/**
 * 20 senders posting batches of 2,000 payments as fast as answers come, for `seconds`, while
 * /api/health is asked every 100 ms: the flood must be answered (stored or 429 + Retry-After),
 * never queued without end, and health must stay quick.
 */
export async function flood(dataDir: string, seconds: number, senders = 20): Promise<FloodResult> {
  const server = await startServer(dataDir)
  const result: FloodResult = { senders, requests: 0, stored: 0, tooMany: 0, withRetryAfter: 0, serverErrors: 0, resets: 0, healthChecks: 0, healthP95Ms: 0, healthMaxMs: 0 }
  const until = Date.now() + seconds * 1000
  const healthMs: number[] = []
  let next = 0
  // Bodies built before the flood: building them during it would stall this process's own clock.
  const recordTexts = Array.from({ length: 8 }, (_, i) => JSON.stringify(paymentBatch(400_000 + i * 2000, 2000)))
  try {
    const sender = async () => {
      while (Date.now() < until) {
        const n = next++
        const answer = await post(server.url, '/api/ingest/payments', `{"batchId":"flood-${n}","records":${recordTexts[n % recordTexts.length]}}`)
        result.requests++
        if ('error' in answer) result.resets++
        else if (answer.status === 200) result.stored++
        else if (answer.status === 429) {
          result.tooMany++
          if (answer.headers['retry-after']) result.withRetryAfter++
          await new Promise((resolve) => setTimeout(resolve, 200))
        } else if (answer.status >= 500) result.serverErrors++
      }
    }
    const health = async () => {
      while (Date.now() < until) {
        const began = performance.now()
        await fetch(`${server.url}/api/health`).then((r) => r.json())
        healthMs.push(performance.now() - began)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    await Promise.all([...Array.from({ length: senders }, sender), health()])
  } finally {
    process.kill(server.child.pid!, 'SIGTERM')
    await server.exited
  }
  healthMs.sort((a, b) => a - b)
  result.healthChecks = healthMs.length
  result.healthP95Ms = Math.round(healthMs[Math.floor(healthMs.length * 0.95)] ?? 0)
  result.healthMaxMs = Math.round(healthMs.at(-1) ?? 0)
  return result
}
