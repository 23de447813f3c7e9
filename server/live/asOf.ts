import { z } from 'zod'
import { getRegion } from '../../geo/regions'
import type { Db } from '../db/client'
import { regionCondition } from '../metrics/sql/region'
import { selectOne } from '../metrics/sql/query'

/** Newest payment time in the region (the rollup's max), ISO 8601; null before any payment. */
export async function newestPaymentTime(db: Db, region: string): Promise<string | null> {
  // agg_payment_month stops at town level: a village shows its town's freshness.
  const scope = getRegion(region)?.level === 'village' ? getRegion(region)!.parent! : region
  const row = await selectOne(
    db,
    `SELECT toUnixTimestamp(max(newest_time)) AS newest, count() AS groups FROM agg_payment_month WHERE ${regionCondition(scope)}`,
    { region: scope },
    z.object({ newest: z.coerce.number(), groups: z.coerce.number() }),
  )
  return row.groups > 0 ? new Date(row.newest * 1000).toISOString() : null
}
