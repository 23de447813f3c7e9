import type { Db } from '../../db/client'

/** Whether the HTTP feed has ever stored a batch (a deployment fed by bank files only has none). */
export async function feedHasStoredBatches(db: Db, feed: string): Promise<boolean> {
  const result = await db.client.query({
    query: 'SELECT count() AS n FROM (SELECT 1 FROM ingest_batch WHERE feed = {feed:String} LIMIT 1)',
    query_params: { feed },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ n: string | number }>()
  return Number(row?.n ?? 0) > 0
}
