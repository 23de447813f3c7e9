import type { Db } from '../../db/client'
import { quoteIdentifier } from '../../db/client'
import type { FeedSpec } from '../../ingest/feeds'
import { insertBatch } from '../../ingest/insertBatch'

/**
 * The state a kill -9 leaves between a fact INSERT and some of its materialized views: the facts
 * hold the batch, the named views never saw it. Made without timing: the views are detached for
 * the INSERT and attached again afterwards, as a restart would load them.
 */
export async function insertFactsPastViews(db: Db, spec: FeedSpec, batchId: string, records: Record<string, unknown>[], views: string[]): Promise<void> {
  for (const view of views) await db.client.command({ query: `DETACH TABLE ${quoteIdentifier(view)}` })
  try {
    await insertBatch(db, spec, batchId, records)
  } finally {
    for (const view of views) await db.client.command({ query: `ATTACH TABLE ${quoteIdentifier(view)}` })
  }
}
