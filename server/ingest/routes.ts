import type { ServerResponse } from 'node:http'
import type { AppContext, IngestEvent } from '../context'
import { HttpError, sendJson, type Router } from '../http/router'
import { requireIngestToken } from './bearer'
import { ingestGate } from './ingestGate'
import { feedByName, FEED_NAMES } from './feeds'
import { ingestLimits } from './limits'
import { BodyTooLarge, receiveBatch } from './readBatch'
import { storePrepared } from './storeBatch'
import { preparePool } from './worker/pool'
import { reportFault } from '../notify/sources/faults'

export interface IngestRouteOptions {
  /** Largest accepted body in bytes (default 64 MB). */
  maxBodyBytes?: number
}

/**
 * POST /api/ingest/:feed (payments, indicators, plans, vouchers, workflow): the HTTP feeds into
 * ClickHouse. Order of refusals: restarting (503, Retry-After), token (401), feed (404), too many
 * batches at once (429, Retry-After), content type or charset (415), size (413), records (400),
 * batch id reused for other content (409). A 200 means the rows are in the database.
 */
export function registerIngestRoutes(router: Router, options: IngestRouteOptions = {}): void {
  const maxBodyBytes = options.maxBodyBytes ?? ingestLimits.maxBodyBytes
  preparePool.warm()
  router.on('POST', '/api/ingest/:feed', async (req, res, ctx, params, url) => {
    refuseWhileStopping(res, 'batch')
    requireIngestToken(req, ctx.config.INGEST_TOKEN)
    const spec = feedByName(params.feed)
    if (!spec) throw new HttpError(404, `unknown feed; feeds are ${FEED_NAMES.join(', ')}`)
    if (ingestGate.requestsInFlight >= ingestLimits.maxConcurrentRequests) {
      res.setHeader('retry-after', String(ingestLimits.retryAfterSeconds))
      res.setHeader('connection', 'close') // the body is not read
      throw new HttpError(429, `${ingestGate.requestsInFlight} batches are being stored; retry in ${ingestLimits.retryAfterSeconds} s`)
    }
    // From before the rows can be visible until they are announced (see AppContext.ingestWatch).
    const watch = (ctx.ingestWatch ??= { started: 0, running: 0 })
    watch.started += 1
    watch.running += 1
    try {
      // Counted until the answer is handed to the socket, so a shutdown waits for the 200 too.
      const { batchId, outcome, prepared } = await ingestGate.request(async () => {
        const received = await receiveBatch(req, url, maxBodyBytes).catch((error: unknown) => {
          if (error instanceof BodyTooLarge) res.setHeader('connection', 'close') // the rest is not read
          throw error
        })
        // Decoding, reading, checking and serializing run in an ingest worker (worker/pool.ts).
        const { batchId, prepared } = await preparePool.prepare(spec.feed, received)
        const outcome = await storePrepared(ctx.db, spec, batchId, prepared).catch((error: unknown) => {
          // A batch refused to its sender (409: the id was stored with other content) is theirs to
          // fix; only a failure of the store itself goes out to the operations channels.
          if (!(error instanceof HttpError)) reportFault(ctx, { source: 'ingest', key: spec.feed, message: `批次 ${batchId} 未能入库（${prepared.rows} 条），详见服务器日志` })
          throw error
        })
        const sent = new Promise((resolve) => res.once('finish', resolve).once('close', resolve))
        sendJson(res, 200, outcome)
        await sent
        return { batchId, outcome, prepared }
      })
      if (outcome.status === 'stored') {
        if (outcome.recovered) ctx.log.warn(`ingest ${spec.feed} ${batchId}: rows were already stored by an interrupted delivery; ledger completed`)
        // The records as stored move the live hub's additive figures; a recovered batch may have
        // missed its rollups: the rollup healer listens for `recovered` (and the hub recomputes).
        announce(ctx, {
          feed: spec.feed,
          batchId,
          rows: outcome.rows,
          acknowledgedAt: Date.now(),
          // The payments came back from the worker summed as the hub adds them up: nothing is
          // parsed or walked again on the event loop (other feeds carry none).
          ...(outcome.recovered ? { recovered: true } : prepared.payments ? { payments: prepared.payments } : {}),
        })
      }
    } finally {
      watch.running -= 1
    }
  })
}

/** Listeners (live hub, rules) must not be able to fail an ingest that is already acknowledged. */
function announce(ctx: AppContext, event: IngestEvent): void {
  for (const listener of ctx.onIngest) {
    try {
      listener(event)
    } catch (error) {
      ctx.log.error(`ingest listener failed for ${event.feed} ${event.batchId}: ${error instanceof Error ? error.message.split('\n')[0] : error}`)
    }
  }
}

/** A stopping server takes no new delivery (503 + Retry-After); the body is not read. */
export function refuseWhileStopping(res: ServerResponse, what: 'batch' | 'file'): void {
  if (ingestGate.isAccepting) return
  res.setHeader('retry-after', '5')
  res.setHeader('connection', 'close')
  throw new HttpError(503, `server is restarting; send the ${what} again in a few seconds`)
}
