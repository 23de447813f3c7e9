/**
 * `npm run bench`: live-wall figures at the demo scale and at 10M payment rows. Each scale runs in
 * its own process (chDB binds one data directory per process) on its own data directory, which
 * is seeded once and reused. Not part of the tests: it takes minutes and both CPU cores.
 *   npm run bench                       both scales
 *   npm run bench -- 300000             one scale (rows), data in /tmp/ykt-bench-300000
 */
import { spawnSync } from 'node:child_process'

const scales = process.argv.slice(2).length ? process.argv.slice(2).map(Number) : [300_000, 10_000_000]
const dirFor = (rows: number) => (rows === 10_000_000 ? '/tmp/ykt-bench' : `/tmp/ykt-bench-${rows}`)

type Figures = Record<string, any>
const results: Figures[] = []
for (const rows of scales) {
  const run = spawnSync('npx', ['tsx', 'scripts/bench/runScale.ts', String(rows), dirFor(rows)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  })
  const line = run.stdout.trim().split('\n').pop() ?? ''
  if (run.status !== 0 || !line.startsWith('{')) {
    console.error(`scale ${rows}: failed (exit ${run.status})`)
    process.exitCode = 1
    continue
  }
  results.push(JSON.parse(line))
}

const ms = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${Math.round(value)} ms`)
const rowsOut: Array<[string, ...string[]]> = [['figure', ...results.map((r) => `${(r.rows as number).toLocaleString()} rows`)], ['target', ...results.map(() => '')]]
rowsOut.pop()
const add = (label: string, cell: (r: Figures) => string) => rowsOut.push([label, ...results.map(cell)])
add('ingest (HTTP, 10k-row batches)', (r) => `${r.ingestRowsPerSec.toLocaleString()} rows/s`)
for (const theme of Object.keys(results[0]?.tickMs ?? {})) add(`tick, one ${theme} room p50 / p95 (≤150)`, (r) => `${ms(r.tickMs[theme].p50)} / ${ms(r.tickMs[theme].p95)}`)
add('full wall tick, 36 rooms p50 / p95', (r) => `${ms(r.fullWallTickMs.p50)} / ${ms(r.fullWallTickMs.p95)}`)
add('ingest→screen, 1 client p50 / p95 (server)', (r) => `${ms(r.latency1.server.p50)} / ${ms(r.latency1.server.p95)}`)
add('ingest→screen, 1 client p50 / p95 (client)', (r) => `${ms(r.latency1.client.p50)} / ${ms(r.latency1.client.p95)}`)
add('ingest→screen, 500 clients p50 / p95 (server, ≤2 s)', (r) => `${ms(r.latency500.server.p50)} / ${ms(r.latency500.server.p95)}`)
add('ingest→screen, 500 clients p50 / p95 (client, live panels)', (r) => `${ms(r.latency500.client.p50)} / ${ms(r.latency500.client.p95)}`)
add('DB queries/s, hub with 500 clients', (r) => `${r.latency500.hubQueriesPerSec}`)
add('DB queries/s, 500 pollers demanded / achieved', (r) => `${r.baseline.demandedQueriesPerSec} / ${r.baseline.achievedQueriesPerSec}`)
add('ratio demanded ÷ hub (≥100)', (r) => `${Math.round(r.baseline.demandedQueriesPerSec / Math.max(r.latency500.hubQueriesPerSec, 0.1))}`)
add('ratio achieved ÷ hub', (r) => `${Math.round(r.baseline.achievedQueriesPerSec / Math.max(r.latency500.hubQueriesPerSec, 0.1))}`)

const widths = rowsOut[0].map((_, column) => Math.max(...rowsOut.map((row) => row[column].length)))
for (const row of rowsOut) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '))

// The live core (warm rooms, one pass per theme for all regions, additive figures): its own table
// per scale, from scripts/bench/liveCore.ts (own data directory, /tmp/ykt-livecore-<rows>).
for (const rows of scales) {
  console.log(`\nlive core, ${rows.toLocaleString()} rows`)
  const run = spawnSync('npx', ['tsx', 'scripts/bench/liveCore.ts', String(rows)], { stdio: ['ignore', 'inherit', 'inherit'] })
  if (run.status !== 0) process.exitCode = 1
}
