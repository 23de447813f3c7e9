import type { AppContext, IngestEvent } from '../context'
import { HttpError, sendJson, type Router } from '../http/router'
import { requireIngestToken } from './bearer'
import { feedByName, FEED_NAMES } from './feeds'
import { ingestLimits } from './limits'
import { readBatch } from './readBatch'
import { storeBatch } from './storeBatch'
import { validateBatch } from './validateBatch'

export interface IngestRouteOptions {
  /** Largest accepted body in bytes (default 64 MB). */
  maxBodyBytes?: number
}

/**
 * POST /api/ingest/:feed (payments, indicators, plans, vouchers, workflow): the HTTP feeds into
 * ClickHouse. Order of refusals: token (401), feed (404), content type (415), size (413), records
 * (400), batch id reused for other content (409). A 200 means the rows are in the database.
 */
export function registerIngestRoutes(router: Router, options: IngestRouteOptions = {}): void {
  const maxBodyBytes = options.maxBodyBytes ?? ingestLimits.maxBodyBytes
  router.on('POST', '/api/ingest/:feed', async (req, res, ctx, params, url) => {
    requireIngestToken(req, ctx.config.INGEST_TOKEN)
    const spec = feedByName(params.feed)
    if (!spec) throw new HttpError(404, `unknown feed; feeds are ${FEED_NAMES.join(', ')}`)
    const batch = await readBatch(req, url, maxBodyBytes)
    const records = validateBatch(spec, batch)
    // From before the rows can be visible until they are announced (see AppContext.ingestWatch).
    const watch = (ctx.ingestWatch ??= { started: 0, running: 0 })
    watch.started += 1
    watch.running += 1
    try {
      const outcome = await storeBatch(ctx.db, spec, batch.batchId, records)
      sendJson(res, 200, outcome)
      if (outcome.status === 'stored') {
        if (outcome.recovered) ctx.log.warn(`ingest ${spec.feed} ${batch.batchId}: rows were already stored by an interrupted delivery; ledger completed`)
        announce(ctx, { feed: spec.feed, batchId: batch.batchId, rows: outcome.rows, acknowledgedAt: Date.now(), records: outcome.recovered ? undefined : records })
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
