import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Router } from './router'
import { sendJson } from './router'

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
  return () => histogram.disable()
}
