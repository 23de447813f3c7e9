import { timingSafeEqual } from 'node:crypto'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Router } from './router'
import { HttpError, sendJson } from './router'

/**
 * `GET /api/bench/event-loop` (only with BENCH_PROBE=on): the server's event-loop delay since the
 * previous reading, so `npm run bench` can record it per phase from outside the process. Each
 * reading starts a new window. Off by default: a production wall has no use for it.
 * Returns the stop function (the monitor samples on a timer until stopped).
 */
export function registerBenchProbe(router: Router): () => void {
  const histogram = monitorEventLoopDelay({ resolution: 5 })
  histogram.enable()
  let windowStartedAt = Date.now()
  const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10
  router.on('GET', '/api/bench/event-loop', async (_req, res) => {
    const reading = {
      windowMs: Date.now() - windowStartedAt,
      samples: histogram.count,
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      maxMs: ms(histogram.max),
      meanMs: ms(histogram.mean),
    }
    histogram.reset()
    windowStartedAt = Date.now()
    sendJson(res, 200, reading)
  })
  // `POST /api/bench/rules?on=0|1` (ingest token): the rule engine off and on again in the same
  // server, so the bench compares ingest → screen with and without rules on the same data.
  router.on('POST', '/api/bench/rules', async (req, res, ctx) => {
    const expected = Buffer.from(`Bearer ${ctx.config.INGEST_TOKEN}`)
    const given = Buffer.from(req.headers.authorization ?? '')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HttpError(401, 'ingest token required')
    if (!ctx.ruleSwitch) throw new HttpError(404, 'no rule engine in this server')
    const on = new URL(req.url ?? '/', 'http://x').searchParams.get('on') !== '0'
    await ctx.ruleSwitch(on)
    sendJson(res, 200, { rules: on ? 'on' : 'off' })
  })
  return () => histogram.disable()
}
