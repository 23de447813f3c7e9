import fs from 'node:fs'
import path from 'node:path'
import { FACT_COLUMNS, loadFile } from '../../server/bulk/loadFile'
import { openDb } from '../../server/db/client'
import { migrate } from '../../server/db/migrate'
import { writePayroll } from './payrollFile'

/**
 * Bulk-load figures in a process and data directory of their own (chDB binds one per process):
 *   npx tsx scripts/bench/bulkLoad.ts <rows> <work dir>
 * Writes a payroll CSV of <rows> valid payments in the 农村商业银行 layout (config/banks/nongshang.json),
 * loads it with `npm run load`'s loader into a fresh, migrated database, then, as baselines of the
 * same run, inserts the same rows once more from the facts through payment_detail's materialized
 * views (the bare cost of storing them with the rollups following, no reading or checking) and into
 * a copy of the facts without views. Prints one JSON line on stdout.
 */
const rows = Number(process.argv[2] ?? 1_000_000)
const work = process.argv[3] ?? '/tmp/ykt-bulk-bench'

async function main() {
  fs.rmSync(work, { recursive: true, force: true })
  fs.mkdirSync(work, { recursive: true })
  const file = path.join(work, `payroll-${rows}.csv`)
  const genStart = Date.now()
  writePayroll(file, rows)
  const generateMs = Date.now() - genStart
  const db = await openDb({ database: 'ykt', dataDir: path.join(work, 'data') })
  try {
    await migrate(db)
    const cpu0 = process.cpuUsage()
    const result = await loadFile(db, { file, bank: 'nongshang', kind: 'payroll', encoding: 'utf-8', onProgress: (e) => e.phase !== 'read' && process.stderr.write(`bulk: ${e.phase}\n`) })
    if (result.status !== 'loaded' || result.rowsLoaded !== rows) throw new Error(`bench load did not store every row: ${result.status}, ${result.rowsLoaded} of ${rows}, ${result.refusals[0]?.reason ?? ''}`)
    const loadCpu = process.cpuUsage(cpu0)
    const again = await loadFile(db, { file, bank: 'nongshang', kind: 'payroll', encoding: 'utf-8' })
    // Baseline of the same run: the same rows through the materialized views.
    const viewsStart = Date.now()
    const cpu1 = process.cpuUsage()
    await db.client.command({
      query: `INSERT INTO payment_detail (${FACT_COLUMNS.join(', ')})
              SELECT ${FACT_COLUMNS.map((c) => (c === 'detail_id' ? "concat('V', detail_id)" : c === 'batch_id' ? "'views'" : c)).join(', ')}
              FROM payment_detail WHERE batch_id = {batchId:String}`,
      query_params: { batchId: result.batchId },
    })
    const viewsMs = Date.now() - viewsStart
    const viewsCpu = process.cpuUsage(cpu1)
    const factsStart = Date.now()
    await db.client.command({ query: 'CREATE TABLE facts_only AS payment_detail' })
    await db.client.command({ query: `INSERT INTO facts_only (${FACT_COLUMNS.join(', ')}) SELECT ${FACT_COLUMNS.join(', ')} FROM payment_detail WHERE batch_id = {batchId:String}`, query_params: { batchId: result.batchId } })
    const factsOnlyMs = Date.now() - factsStart
    const perSecond = (ms: number) => Math.round(rows / (ms / 1000))
    // CPU seconds of this process (chDB runs in it): a figure the other engineers' load on the machine does not inflate.
    const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6
    console.log(JSON.stringify({
      rows,
      fileMB: Math.round(fs.statSync(file).size / 1e6),
      generateMs,
      load: result.ms,
      readBy: result.readBy,
      movedBy: result.movedBy,
      loadRowsPerSec: perSecond(result.ms.total),
      duplicateMs: again.ms.total,
      duplicateStatus: again.status,
      loadCpuSeconds: cpuSeconds(loadCpu),
      loadRowsPerCpuSecond: Math.round(rows / cpuSeconds(loadCpu)),
      viewsInsertMs: viewsMs,
      viewsCpuSeconds: cpuSeconds(viewsCpu),
      viewsRowsPerSec: perSecond(viewsMs),
      factsOnlyInsertMs: factsOnlyMs,
    }))
  } finally {
    await db.close()
    fs.rmSync(work, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message.split('\n')[0].slice(0, 400) : String(error))
  process.exit(1)
})
