/**
 * Measures ingest throughput: one JSON payments batch of N rows (default 10 000) posted to a fresh
 * app on a temp data dir, timed from request to the 200; then where the time goes, stage by stage,
 * on a second batch of the same size: the whole worker task (decode, read, check, serialize, hash)
 * and, side by side on the same records, the schema against the fused validator, then the INSERT;
 * then the fused validator and the worker task again, warm (several rounds, median and min).
 *   npx tsx server/ingest/bench/ingestThroughput.ts [rows]
 */
import { makeTempDir } from '../../testing/tempDb'
import { contentHash } from '../contentHash'
import { feedByName } from '../feeds'
import { fusedPayment } from '../fused/paymentRow'
import { insertPrepared } from '../insertBatch'
import { paymentBatch } from '../test/fixtures'
import { postBatch, queryRow, startIngestApp } from '../test/harness'
import { prepareTask } from '../worker/prepareTask'

const rows = Number(process.argv[2] ?? 10_000)
const WARM_ROUNDS = 7

/** Process CPU (all threads: the engine's too, so the wall time is the figure when they differ). */
const cpuMs = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

function timed(work: () => void): { wall: number; cpu: number } {
  const cpu = cpuMs()
  const wall = performance.now()
  work()
  return { wall: performance.now() - wall, cpu: cpuMs() - cpu }
}
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
  const text = JSON.stringify({ batchId: 'bench-phases', records: raw })
  const phases: Record<string, number> = {}
  let mark = performance.now()
  const lap = (name: string) => {
    phases[name] = Math.round(performance.now() - mark)
    mark = performance.now()
  }
  const records = raw.map((record) => JSON.parse(JSON.stringify(record)) as unknown)
  lap('(setup)')
  // main's path, step by step: parse each record, schema, stringify + sort + sha256, JSONEachRow body.
  const reparsed = text.length > 0 ? records.map((record) => JSON.parse(JSON.stringify(record)) as unknown) : []
  lap('previous: JSON.parse per record')
  const schemaOutput = reparsed.map((record) => spec.record.parse(record))
  lap('previous: schema (zod) per record')
  contentHash(schemaOutput)
  lap('previous: hash (stringify + sort + sha256)')
  const jsonEachRow = schemaOutput.map((record) => `{"batch_id":"bench-phases",${JSON.stringify(record).slice(1)}\n`).join('')
  lap('previous: JSONEachRow body')
  for (const record of records) fusedPayment(record)
  lap('fused validator alone, per record')
  const task = await prepareTask({ feed: 'payments', body: { bytes: new TextEncoder().encode(text), ndjsonBatchId: null } }, async () => {})
  lap('whole worker task (decode, read, check, serialize, hash)')
  if (!task.ok) throw new Error(task.message)
  await insertPrepared(app.ctx.db, spec, task.prepared)
  lap('INSERT (JSONCompactEachRow, with the views)')
  await app.ctx.db.insertBody({ table: 'payment_detail', columns: [], format: 'JSONEachRow', body: Buffer.from(jsonEachRow.replaceAll('bench-phases', 'bench-phases-2')), settings: {} })
  lap('previous: INSERT (JSONEachRow, with the views)')
  console.log(`phases (ms) for ${rows} rows: ${JSON.stringify(phases, null, 1)}`)

  // The phases above run once each, the first time: partly cold JIT. An ingest worker runs the same
  // code batch after batch, so the warm figures are what a busy feed pays.
  const batchBytes = new TextEncoder().encode(text)
  const warm: Record<string, Array<{ wall: number; cpu: number }>> = { 'fused validator alone': [], 'whole worker task': [] }
  for (let round = 0; round < WARM_ROUNDS; round++) {
    warm['fused validator alone'].push(timed(() => records.forEach((record) => fusedPayment(record))))
    const cpuBefore = cpuMs()
    const wallBefore = performance.now()
    const result = await prepareTask({ feed: 'payments', body: { bytes: batchBytes, ndjsonBatchId: null } }, async () => {})
    warm['whole worker task'].push({ wall: performance.now() - wallBefore, cpu: cpuMs() - cpuBefore })
    if (!result.ok || result.prepared.contentHash !== task.prepared.contentHash) throw new Error('warm round prepared another batch')
  }
  for (const [name, laps] of Object.entries(warm)) {
    const byWall = laps.map((lap) => lap.wall).sort((a, b) => a - b)
    const byCpu = laps.map((lap) => lap.cpu).sort((a, b) => a - b)
    const median = (sorted: number[]) => Math.round(sorted[Math.floor(sorted.length / 2)])
    console.log(
      `warm, ${WARM_ROUNDS} rounds of ${rows} rows: ${name} ${median(byWall)} ms median (min ${Math.round(byWall[0])}), ` +
        `process CPU ${median(byCpu)} ms median (min ${Math.round(byCpu[0])})`,
    )
  }
} finally {
  await app.close()
}
