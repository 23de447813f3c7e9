import { paymentBatch } from '../../server/ingest/test/fixtures'
import { healthDetails, kill, post, sleep, startServer, type ServerProcess } from './server'

export const BATCH_ROWS = 500

export interface KillLoopResult {
  kills: number
  starts: number
  startFailures: number
  batches: Map<string, number>
  acked: Set<string>
  recovered: number
  duplicatesOnRepost: number
  conflicts: number
  repairs: number
  /** Rollup partitions the servers killed later had rebuilt (from their logs). */
  repairsInCycles: number
  rollupChecks: number
}

/**
 * kill -9 while batches of payments are being sent: each cycle starts the server on the same data,
 * sends batches one after another (unacknowledged ones first, sometimes an acknowledged one again)
 * and kills it at a random moment. The kill lands anywhere: before, during or after the INSERT,
 * between the INSERT and its views, between the views and the ledger entry.
 */
export async function killLoop(dataDir: string, cycles: number, log: (line: string) => void): Promise<KillLoopResult> {
  const result: KillLoopResult = {
    kills: 0, starts: 0, startFailures: 0, batches: new Map(), acked: new Set(), recovered: 0, duplicatesOnRepost: 0, conflicts: 0, repairs: 0, repairsInCycles: 0, rollupChecks: 0,
  }
  let nextBatch = 0
  const pending: string[] = []
  const newBatch = () => {
    const id = `kill-${nextBatch}`
    result.batches.set(id, nextBatch++)
    return id
  }
  const bodyOf = (id: string) => JSON.stringify({ batchId: id, records: paymentBatch(result.batches.get(id)! * BATCH_ROWS, BATCH_ROWS) })
  const usual: number[] = []
  // How long after the start a kill may come. Grows while cycles end before any answer (a slow,
  // loaded machine), then follows the typical batch time, so kills land before, in and after batches.
  let window = 3000

  for (let cycle = 0; cycle < cycles; cycle++) {
    let server: ServerProcess
    try {
      server = await startServer(dataDir)
      result.starts++
    } catch (error) {
      result.startFailures++
      log(`cycle ${cycle}: start failed: ${String(error).slice(0, 200)}`)
      continue
    }
    const killer = setTimeout(() => kill(server, 'SIGKILL'), Math.random() * window)
    const ackedBefore = result.acked.size + result.duplicatesOnRepost
    for (;;) {
      const repost = result.acked.size > 0 && Math.random() < 0.1
      const id = pending[0] ?? (repost ? [...result.acked][Math.floor(Math.random() * result.acked.size)] : newBatch())
      if (!pending.length && !repost) pending.push(id)
      const began = Date.now()
      const answer = await post(server.url, '/api/ingest/payments', bodyOf(id))
      if ('error' in answer) break
      if (answer.status === 429 || answer.status === 503) {
        await sleep(100)
        continue
      }
      const json = JSON.parse(answer.body)
      if (answer.status === 409) result.conflicts++
      if (answer.status !== 200) throw new Error(`batch ${id}: unexpected ${answer.status} ${answer.body.slice(0, 200)}`)
      usual.push(Date.now() - began)
      if (json.recovered) result.recovered++
      if (result.acked.has(id) && json.status === 'duplicate') result.duplicatesOnRepost++
      result.acked.add(id)
      if (pending[0] === id) pending.shift()
    }
    clearTimeout(killer)
    await server.exited
    result.kills++
    result.repairsInCycles += [...server.output().matchAll(/rollups \([^)]*\): rebuilt (.*) from the facts/g)].reduce((n, m) => n + m[1].split(', ').length, 0)
    const typical = usual.length ? usual.slice(-20).reduce((a, b) => a + b, 0) / Math.min(usual.length, 20) : 0
    window = result.acked.size + result.duplicatesOnRepost > ackedBefore ? Math.max(1000, typical * 4) : Math.min(window * 1.5, 60_000)
    if ((cycle + 1) % 10 === 0) log(`kill cycle ${cycle + 1}/${cycles}: ${result.acked.size} batches acknowledged, ${result.recovered} recovered`)
  }

  // A clean start: the start-up rollup check runs; every batch not acknowledged yet is sent until it is.
  const server = await startServer(dataDir, { env: { ROLLUP_CHECK_MS: '3600000' } })
  for (const id of [...pending, ...[...result.batches.keys()].filter((b) => !result.acked.has(b))]) {
    if (result.acked.has(id)) continue
    for (;;) {
      const answer = await post(server.url, '/api/ingest/payments', bodyOf(id))
      if (!('error' in answer) && answer.status === 200) {
        if (JSON.parse(answer.body).recovered) result.recovered++
        result.acked.add(id)
        break
      }
      await sleep(200)
    }
  }
  // Wait for the checks those recoveries and the start asked for.
  for (let waited = 0; waited < 120_000; waited += 500) {
    const health = await healthDetails(server.url)
    if (health.rollups.checks >= 1 && !health.rollups.running) {
      result.repairs = health.rollups.repairs
      result.rollupChecks = health.rollups.checks
      if (waited > 3000) break
    }
    await sleep(500)
  }
  kill(server, 'SIGTERM')
  await server.exited
  return result
}
