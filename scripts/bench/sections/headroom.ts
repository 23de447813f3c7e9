import { Worker } from '../children'
import { processCpuMs, sleep, type BenchServer, type Health } from '../server'
import { formatMs } from '../stats'
import type { Sent } from '../workers/sender'
import { measure } from './ingestToScreen'
import { SCREEN_ROOMS } from './rooms'
import { ratio, type BenchContext, type BenchSection, type Figure } from './types'

/** Long enough to hold one clock refresh of every room (the hub's refreshEveryMs: 60 s). */
const IDLE_MS = 90_000
const FEED_SECONDS = 60
const FEED_ROWS_PER_SECOND = 10
/** Latency batches per block; blocks alternate rules off, on, off, on (noise falls on both). */
const BLOCK_BATCHES = 15
/** Each block waits at most this long for the screens to show its warm-up batches. */
const CATCH_UP_MS = 30_000

/**
 * Headroom (issue: the rule engine never delays the wall, an idle wall is idle), on the bench's own
 * server (rules on, a process of its own):
 *   - ingest → screen p95 at the screens with the rule engine off and on in the same server,
 *     alternating blocks of batches (the rules are switched through the bench probe), and the ratio;
 *   - the server's CPU (its process's user + system time from /proc) with the feed resting and no
 *     client, and with a feed of 10 rows/s (one batch a second), no client.
 */
export const headroom: BenchSection = {
  id: 'headroom',
  title: 'Headroom: ingest → screen with rules on vs off; server CPU idle and at 10 rows/s',
  async run(context) {
    const { server, log } = context
    // Whatever the earlier sections left (screens closing, rule runs) settles first.
    await sleep(10_000)
    const idle = await cpuOver(server, () => sleep(IDLE_MS))
    const idleRules = (await server.health()).rules
    log(`idle (feed resting, no client): ${idle.percent} % of a core over ${Math.round(idle.ms / 1000)} s`)
    const fed = await cpuOver(server, () => feed(context, FEED_SECONDS, FEED_ROWS_PER_SECOND))
    const fedRules = (await server.health()).rules
    log(`feed at ${FEED_ROWS_PER_SECOND} rows/s: ${fed.percent} % of a core over ${Math.round(fed.ms / 1000)} s`)

    const screens = SCREEN_ROOMS.length
    const blocks: Array<{ rules: boolean; p50: number | null; p95: number | null; p99: number | null; missed: number; ruleMinute: Health['rules'] }> = []
    try {
      for (const on of [false, true, false, true]) {
        await server.setRules(on)
        const run = await measure(context, screens, BLOCK_BATCHES, CATCH_UP_MS)
        const health = await server.health()
        blocks.push({ rules: on, p50: run.all.p50, p95: run.all.p95, p99: run.all.p99, missed: run.missed, ruleMinute: health.rules })
        log(`rules ${on ? 'on' : 'off'}: ack → screen ${formatMs(run.all)}, missed ${run.missed}`)
      }
    } finally {
      await server.setRules(true)
    }
    const p95 = (on: boolean) => mean(blocks.filter((block) => block.rules === on).map((block) => block.p95))
    const absolute: Figure[] = [
      { label: `server CPU, feed resting and no client (${Math.round(idle.ms / 1000)} s): % of one core (target ≤ 5)`, value: `${idle.percent} %` },
      { label: `server CPU, feed at ${FEED_ROWS_PER_SECOND} rows/s and no client (${Math.round(fed.ms / 1000)} s): % of one core (target ≤ 25)`, value: `${fed.percent} %` },
      { label: 'rule engine over the last minute, idle / fed: runs, engine ms', value: `${minute(idleRules)} / ${minute(fedRules)}` },
    ]
    for (const [index, block] of blocks.entries())
      absolute.push({ label: `block ${index + 1}, rules ${block.rules ? 'on' : 'off'}, ${screens} screens, ${BLOCK_BATCHES} batches: ack → screen p50 / p95 / p99`, value: `${block.p50} / ${block.p95} / ${block.p99} ms (missed ${block.missed}; rules last minute ${minute(block.ruleMinute)})` })
    const ratios: Figure[] = [{ label: 'ack → screen p95, rules on ÷ rules off (mean of two blocks each; target ≤ 1.2)', value: ratio(p95(true), p95(false)) }]
    return { absolute, ratios, data: { idle, fed, idleRules, fedRules, blocks } }
  },
}

/** The server's CPU time over `work`, as % of one core. */
async function cpuOver<T>(server: BenchServer, work: () => Promise<T>): Promise<{ percent: number; ms: number; cpuMs: number }> {
  const before = processCpuMs(server.pid)
  const startedAt = Date.now()
  await work()
  const ms = Date.now() - startedAt
  const used = processCpuMs(server.pid) - before
  return { percent: Math.round((used / ms) * 1000) / 10, ms, cpuMs: used }
}

/** One batch of `rows` payments a second for `seconds`, as a steady feed does. */
async function feed(context: BenchContext, seconds: number, rows: number): Promise<void> {
  const { server } = context
  const sender = Worker.start('sender')
  try {
    const sent = await sender.request<Sent[]>('markers', { url: server.url, token: server.ingestToken, runId: context.runId, firstBatch: context.takeBatchNumbers(seconds), batches: seconds, rows, intervalMs: 1000 })
    const refused = sent.filter((batch) => batch.status !== 200).length
    if (refused > 0) context.log(`feed: ${refused} of ${sent.length} batches refused`)
  } finally {
    await sender.stop()
  }
}

function mean(values: Array<number | null>): number | null {
  const known = values.filter((value): value is number => value !== null)
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null
}

function minute(rules: Health['rules']): string {
  const last = rules?.lastMinute
  return last ? `${last.runs} runs, ${last.engineMs} ms` : '—'
}
