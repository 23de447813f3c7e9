import type { AppContext, IngestEvent } from '../context'
import { HttpError, sendJson, type Router } from '../http/router'
import { requireIngestToken } from './bearer'
import { feedByName, FEED_NAMES } from './feeds'
import { ingestLimits } from './limits'
import { readBatch } from './readBatch'
import { storeBatch } from './storeBatch'
import { validateBatch } from './validateBatch'
import { reportFault } from '../notify/sources/faults'

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
    const outcome = await storeBatch(ctx.db, spec, batch.batchId, records).catch((error: unknown) => {
      reportFault(ctx, { source: 'ingest', key: spec.feed, message: `批次 ${batch.batchId} 未能入库（${records.length} 条），详见服务器日志` })
      throw error
    })
    sendJson(res, 200, outcome)
    if (outcome.status === 'stored') {
      if (outcome.recovered) ctx.log.warn(`ingest ${spec.feed} ${batch.batchId}: rows were already stored by an interrupted delivery; ledger completed`)
      announce(ctx, { feed: spec.feed, batchId: batch.batchId, rows: outcome.rows, acknowledgedAt: Date.now() })
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
