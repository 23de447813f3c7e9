import type { Db } from '../db/client'
import { nextVersion } from './version'

/** How far a source has read ('YYYY-MM-DD hh:mm:ss.sss' in Shanghai), kept across restarts. */
export async function readCursor(db: Db, source: string): Promise<string | null> {
  const result = await db.client.query({
    query: 'SELECT position FROM notify_cursor FINAL WHERE source = {source:String}',
    query_params: { source },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ position: string }>()
  return row?.position ?? null
}

export async function writeCursor(db: Db, source: string, position: string): Promise<void> {
  await db.client.insert({ table: 'notify_cursor', values: [{ source, position, version: nextVersion() }], format: 'JSONEachRow' })
}
