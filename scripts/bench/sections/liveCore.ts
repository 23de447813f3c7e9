import { spawn } from 'node:child_process'
import type { BenchSection, Figure } from './types'

/**
 * The live core's own figures (scripts/bench/liveCore.ts): start-up warming, one refresh pass of
 * 36 rooms against 534 rooms side by side, subscribe → snapshot for every room, ingest → screen
 * with 1 and many sockets. It measures in a process and data directory of its own (chDB binds one
 * data directory per process: the bench's --data-dir with -livecore-<rows>, so two benches never share
 * one), on synthetic payments of the run's scale.
 */
const ROWS: Record<string, number> = { small: 300_000, demo: 2_500_000, '10m': 10_000_000, full: 40_000_000 }

export const liveCore: BenchSection = {
  id: 'live-core',
  title: 'live core: warm rooms, one pass per theme for all regions',
  async run({ options, log }) {
    const rows = ROWS[options.scale] ?? (Number(options.scale) || 300_000)
    const clients = Math.max(options.screens, 100)
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('npx', ['tsx', 'scripts/bench/liveCore.ts', String(rows), `${options.dataDir}-livecore-${rows}`, String(clients)], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => log(`live-core: ${chunk.toString().trimEnd()}`))
      child.on('error', reject)
      child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`liveCore.ts exited ${code}`))))
    })
    const figures = JSON.parse(output.trim().split('\n').pop() ?? '{}') as {
      warmupMs: number
      refresh: { pass6: number; pass89: number; ratio: number; roomByRoom36: number; queries6: number; queries89: number }
      subscribeMs: { p50: number; p95: number; max: number }
      ingest: { one: { p50: number; p95: number; queriesPerBatch: number }; many: { clients: number; p50: number; p95: number; queriesPerBatch: number } }
    }
    const ms = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${Math.round(value)} ms`)
    const absolute: Figure[] = [
      { label: `live core (${rows.toLocaleString()} synthetic rows): all 534 rooms warm after start`, value: ms(figures.warmupMs) },
      { label: 'refresh pass, 36 rooms / 534 rooms', value: `${ms(figures.refresh.pass6)} / ${ms(figures.refresh.pass89)}` },
      { label: 'subscribe → snapshot, 534 rooms p50 / p95 / max', value: `${ms(figures.subscribeMs.p50)} / ${ms(figures.subscribeMs.p95)} / ${ms(figures.subscribeMs.max)}` },
      { label: `ingest → screen at clients, 1 / ${figures.ingest.many.clients} clients p95`, value: `${ms(figures.ingest.one.p95)} / ${ms(figures.ingest.many.p95)}` },
    ]
    const ratios: Figure[] = [
      { label: 'live core: 534-room pass ÷ 36-room pass (≤ 2)', value: figures.refresh.ratio.toFixed(2) },
      { label: 'live core: 36 rooms room by room ÷ one pass', value: (figures.refresh.roomByRoom36 / Math.max(figures.refresh.pass6, 1)).toFixed(2) },
      { label: `live core: hub DB queries per batch, 1 ÷ ${figures.ingest.many.clients} clients (flat = 1)`, value: (figures.ingest.one.queriesPerBatch / Math.max(figures.ingest.many.queriesPerBatch, 1)).toFixed(2) },
    ]
    return { absolute, ratios, data: figures as unknown as Record<string, unknown> }
  },
}
