import { spawn } from 'node:child_process'
import { untilIdle } from '../server'
import { ratio, type BenchSection, type Figure } from './types'

/**
 * `npm run load` on a generated 1M-row payroll CSV (scripts/bench/bulkLoad.ts), in a process and
 * data directory of its own (chDB binds one per process). Beside it, measured in the same run:
 * the same rows inserted from the facts through payment_detail's views (the floor for any load
 * that keeps the rollups in step) and into a copy without views. The previous figure for
 * comparison: HTTP ingest at 7.2–7.7k rows/s (main, 10k-row batches). Target: ≥ 500k rows/s.
 */
const ROWS = 1_000_000
const PREVIOUS_HTTP_ROWS_PER_SEC = 7_500

export const bulkLoad: BenchSection = {
  id: 'bulk',
  title: `bulk load (npm run load) of a generated ${ROWS.toLocaleString('en')}-row payroll CSV into facts + rollups`,
  async run({ log, server }) {
    // The wall's server runs on beside the load: it must first be done with what earlier sections sent it.
    await untilIdle(server.pid, log)
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('npx', ['tsx', 'scripts/bench/bulkLoad.ts', String(ROWS), `/tmp/ykt-bulk-bench-${process.pid}`], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => log(`bulk: ${chunk.toString().trimEnd()}`))
      child.on('error', reject)
      child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`bulkLoad.ts exited ${code}`))))
    })
    const f = JSON.parse(output.trim().split('\n').pop() ?? '{}') as {
      rows: number
      fileMB: number
      load: { read: number; check: number; move: number; total: number }
      readBy: string
      movedBy: string
      loadRowsPerSec: number
      loadCpuSeconds: number
      loadRowsPerCpuSecond: number
      duplicateMs: number
      viewsInsertMs: number
      viewsCpuSeconds: number
      viewsRowsPerSec: number
      factsOnlyInsertMs: number
    }
    const absolute: Figure[] = [
      { label: `bulk load ${f.rows.toLocaleString('en')} rows (${f.fileMB} MB CSV) into facts + rollups: rows/s (target ≥ 500,000; HTTP before: ~${PREVIOUS_HTTP_ROWS_PER_SEC.toLocaleString('en')})`, value: f.loadRowsPerSec.toLocaleString('en') },
      { label: `bulk load: read + check in SQL (read by: ${f.readBy}) / file-wide checks / move (moved by: ${f.movedBy})`, value: `${f.load.read} / ${f.load.check} / ${f.load.move} ms` },
      { label: 'bulk load: CPU seconds of the loading process (chDB in it), rows per CPU second', value: `${f.loadCpuSeconds.toFixed(1)} s, ${f.loadRowsPerCpuSecond.toLocaleString('en')}` },
      { label: 'same file loaded again (ledger answer)', value: `${f.duplicateMs} ms` },
      { label: 'baseline: same rows INSERT … SELECT through the views / into a copy without views', value: `${f.viewsInsertMs} / ${f.factsOnlyInsertMs} ms` },
    ]
    const ratios: Figure[] = [
      { label: 'bulk rows/s ÷ previous HTTP ingest rows/s', value: ratio(f.loadRowsPerSec, PREVIOUS_HTTP_ROWS_PER_SEC, 1) },
      { label: 'bulk load time ÷ bare insert through the views (reading and checking on top, minus what attaching saves)', value: ratio(f.load.total, f.viewsInsertMs) },
      { label: 'insert through the views ÷ insert without views (what the rollups cost)', value: ratio(f.viewsInsertMs, f.factsOnlyInsertMs) },
    ]
    return { absolute, ratios, data: f as unknown as Record<string, unknown> }
  },
}
