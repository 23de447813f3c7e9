/**
 * Measures ingest throughput: one JSON payments batch of N rows (default 10 000) posted to a fresh
 * app on a temp data dir, timed from request to the 200; then where the time goes (validation,
 * content hash, the INSERT) on a second batch of the same size. Run:
 *   npx tsx server/ingest/bench/ingestThroughput.ts [rows]
 */
import { makeTempDir } from '../../testing/tempDb'
import { contentHash } from '../contentHash'
import { feedByName } from '../feeds'
import { insertBatch } from '../insertBatch'
import { validateBatch } from '../validateBatch'
import { paymentBatch } from '../test/fixtures'
import { postBatch, queryRow, startIngestApp } from '../test/harness'

const rows = Number(process.argv[2] ?? 10_000)
const app = await startIngestApp(makeTempDir('ykt-ingest-bench-'))
try {
  const body = { batchId: `bench-${rows}`, records: paymentBatch(0, rows) }
  const bytes = Buffer.byteLength(JSON.stringify(body))
  const started = performance.now()
  const answer = await postBatch(app, 'payments', body)
  const seconds = (performance.now() - started) / 1000
  if (answer.status !== 200) throw new Error(`ingest answered ${answer.status}: ${JSON.stringify(answer.json).slice(0, 300)}`)
  const parts = await queryRow<{ n: string }>(app, 'SELECT uniqExact(_part) AS n FROM payment_detail WHERE batch_id = {b:String}', { b: body.batchId })
  console.log(
    `HTTP: ${rows} rows, ${(bytes / 1048576).toFixed(1)} MB JSON in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s ` +
      `(${answer.json.status}, ${parts.n} part)`,
  )

  const spec = feedByName('payments')!
  const raw = paymentBatch(rows, rows)
  const phases: Record<string, number> = {}
  let mark = performance.now()
  const lap = (name: string) => {
    phases[name] = Math.round(performance.now() - mark)
    mark = performance.now()
  }
  const records = validateBatch(spec, { batchId: 'bench-phases', records: raw, unreadable: [] })
  lap('validate')
  contentHash(records)
  lap('hash')
  await insertBatch(app.ctx.db, spec, 'bench-phases', records)
  lap('insert')
  console.log(`phases (ms) for ${rows} rows: ${JSON.stringify(phases)}`)
} finally {
  await app.close()
}
