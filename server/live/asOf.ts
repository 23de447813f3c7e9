import type { Db } from '../db/client'
import { selectRegionMonths } from '../metrics/payments/regionMonths'

/**
 * Newest payment time in the region (the rollup's max), ISO 8601; null before any payment. It
 * reads the region summary the value panels read, so on a tick it costs no query of its own.
 */
export async function newestPaymentTime(db: Db, region: string): Promise<string | null> {
  const rows = await selectRegionMonths(db, { region })
  if (rows.length === 0) return null
  let newest = -Infinity
  for (const row of rows) if (row.newest > newest) newest = row.newest
  return new Date(newest * 1000).toISOString()
}
