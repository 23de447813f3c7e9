/**
 * CPU of one HTTP-sized payments batch stored on the embedded engine, three ways alternated per
 * round: into payment_detail with its views (as the ingest does), the same with
 * parallel_view_processing = 1 in the statement's SETTINGS, and into a copy without views.
 * CPU seconds of this process (chDB runs in it) are the figure a shared machine's load inflates least.
 *   npx tsx server/ingest/bench/insertViewsCpu.ts [rows] [rounds]
 */
import { openTempDb } from '../../testing/tempDb'
import { feedByName } from '../feeds'
import { validateBatch } from '../validateBatch'
import { columnsOf } from '../preparedBatch'
import { paymentBatch } from '../test/fixtures'

const rows = Number(process.argv[2] ?? 10_000)
const rounds = Number(process.argv[3] ?? 8)
const db = await openTempDb()
const spec = feedByName('payments')!
const columns = [...columnsOf(spec), 'batch_id']
await db.client.command({ query: 'CREATE TABLE payment_detail_noviews AS payment_detail' })
const oneBlock = { max_insert_block_size: 1e9, min_insert_block_size_rows: 1e9, min_insert_block_size_bytes: 1e12, input_format_parallel_parsing: 0 }
const ways = {
  'views (as the ingest stores)': { table: 'payment_detail', settings: oneBlock },
  'views + parallel_view_processing': { table: 'payment_detail', settings: { ...oneBlock, parallel_view_processing: 1 } },
  'no views (copy)': { table: 'payment_detail_noviews', settings: oneBlock },
}
const cpu: Record<string, number[]> = {}
const wall: Record<string, number[]> = {}
let n = 0
for (let round = 0; round < rounds; round++) {
  for (const [label, way] of Object.entries(ways)) {
    const batchId = `cpu-${n}`
    const records = validateBatch(spec, { batchId, records: paymentBatch(n * rows, rows), unreadable: [] })
    n++
    const body = Buffer.from(records.map((record) => JSON.stringify([...Object.values(record), batchId])).join('\n') + '\n')
    const started = performance.now()
    const before = process.cpuUsage()
    await db.insertBody({ table: way.table, columns, format: 'JSONCompactEachRow', body, settings: way.settings })
    const used = process.cpuUsage(before)
    if (round > 0) {
      ;(cpu[label] ??= []).push((used.user + used.system) / 1000)
      ;(wall[label] ??= []).push(performance.now() - started)
    }
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
for (const label of Object.keys(ways)) {
  console.log(`${label}: CPU median ${Math.round(median(cpu[label]))} ms, wall median ${Math.round(median(wall[label]))} ms per ${rows} rows (${rounds - 1} rounds after a warm-up)`)
}
await db.close()
