/**
 * Insert formats side by side on the embedded engine: one 10k-row payments batch (the records as
 * the ingest stores them) inserted as JSONEachRow, JSONCompactEachRow, TSV, CSV and RowBinary (the
 * payments feed's own: through a file and file(), as server/db/client.ts does on chDB), into
 * payment_detail with its materialized views and into a copy without views; then each view's own
 * cost (its SELECT over the batch, inserted into a copy of its rollup). Alternating rounds, medians.
 *   npx tsx server/ingest/bench/insertFormats.ts [rows] [rounds]
 */
import { openTempDb } from '../../testing/tempDb'
import { feedByName } from '../feeds'
import { validateBatch } from '../validateBatch'
import { columnsOf, prepareRecords } from '../preparedBatch'
import { paymentBatch } from '../test/fixtures'
import type { BodyFormat } from '../../db/client'

const rows = Number(process.argv[2] ?? 10_000)
const rounds = Number(process.argv[3] ?? 5)
const db = await openTempDb()
const spec = feedByName('payments')!
const columns = [...columnsOf(spec), 'batch_id']
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

const tsvEscape = (value: string) => value.replace(/[\\\t\n]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : '\\n'))
const csvField = (value: string) => `"${value.replace(/"/g, '""')}"`
function body(format: BodyFormat, records: Record<string, unknown>[], batchId: string): Buffer {
  const lines = records.map((record) => {
    const values = [...Object.values(record), batchId]
    if (format === 'JSONEachRow') return JSON.stringify({ ...record, batch_id: batchId })
    if (format === 'JSONCompactEachRow') return JSON.stringify(values)
    const text = values.map((v) =>
      v === null ? (format === 'TSV' ? '\\N' : '\\N') : Array.isArray(v) ? `[${v.map((x) => `'${x}'`).join(',')}]` : String(v),
    )
    return format === 'TSV' ? text.map((t, i) => (values[i] === null ? t : tsvEscape(t))).join('\t') : text.map((t, i) => (values[i] === null ? t : csvField(t))).join(',')
  })
  return Buffer.from(lines.join('\n') + '\n')
}

await db.client.command({ query: 'CREATE TABLE payment_detail_noviews AS payment_detail' })
const formats: BodyFormat[] = ['JSONEachRow', 'JSONCompactEachRow', 'TSV', 'CSV', 'RowBinary']
const times: Record<string, number[]> = {}
const settings = { max_insert_block_size: 1e9, min_insert_block_size_rows: 1e9, min_insert_block_size_bytes: 1e12, input_format_parallel_parsing: 0 }
let n = 0
for (let round = 0; round < rounds; round++) {
  for (const format of formats) {
    for (const table of ['payment_detail', 'payment_detail_noviews']) {
      const batchId = `fmt-${n}`
      const records = validateBatch(spec, { batchId, records: paymentBatch(n * rows, rows), unreadable: [] })
      n++
      const prepared = format === 'RowBinary' ? prepareRecords(spec, batchId, records) : undefined
      const payload = prepared ? Buffer.from(prepared.body) : body(format, records, batchId)
      const started = performance.now()
      await db.insertBody({ table, columns, format, structure: prepared?.structure, body: payload, settings })
      ;(times[`${format} → ${table}`] ??= []).push(performance.now() - started)
    }
  }
}
const count = await (await db.client.query({ query: 'SELECT count() AS n FROM payment_detail', format: 'JSONEachRow' })).json<{ n: string }>()
console.log(`rows in payment_detail: ${count[0].n} (expected ${(n / 2) * rows})`)
for (const [label, values] of Object.entries(times)) console.log(`${label}: median ${Math.round(median(values))} ms per ${rows} rows (${values.map(Math.round).join(', ')})`)

// Each view alone: its SELECT over one batch's rows, inserted into an empty copy of its rollup.
const views = await (await db.client.query({
  query: `SELECT name, as_select, arrayJoin(dependencies_table) AS target FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView' ORDER BY name`,
  format: 'JSONEachRow',
})).json<{ name: string; as_select: string }>()
const targets = await (await db.client.query({
  query: `SELECT name, create_table_query FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'`,
  format: 'JSONEachRow',
})).json<{ name: string; create_table_query: string }>()
await db.client.command({ query: `CREATE TABLE batch_rows AS payment_detail ENGINE = Memory` })
const perView: Array<[string, number]> = []
for (const { name, create_table_query } of targets) {
  const target = /\bTO\s+[`\w]+\.`?(\w+)`?/i.exec(create_table_query)?.[1]
  const select = /\bAS\s+(SELECT[\s\S]*)$/i.exec(create_table_query)?.[1]
  if (!target || !select) continue
  await db.client.command({ query: `CREATE TABLE IF NOT EXISTS copy_${target} AS ${target}` })
  const samples: number[] = []
  for (let round = 0; round < rounds; round++) {
    await db.client.command({ query: 'TRUNCATE TABLE batch_rows' })
    await db.client.command({ query: `INSERT INTO batch_rows SELECT * FROM payment_detail WHERE batch_id = 'fmt-${round * 8}'` })
    const started = performance.now()
    await db.client.command({ query: `INSERT INTO copy_${target} ${select.replace(/\bpayment_detail\b/g, 'batch_rows')}` })
    samples.push(performance.now() - started)
  }
  perView.push([`${name} → ${target}`, median(samples)])
}
for (const [label, ms] of perView.sort((a, b) => b[1] - a[1])) console.log(`view ${label}: median ${ms.toFixed(1)} ms per ${rows} rows`)
void views
await db.close()
