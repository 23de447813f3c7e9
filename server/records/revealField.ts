import { z } from 'zod'
import type { Db } from '../db/client'
import { param, selectFirst, sql, trusted } from '../sql'
import type { PersonalField } from '../access/mask'
import type { Principal } from '../access/principal'
import { recordsRegionLimit } from './regionScope'

/**
 * One personal field of one payment detail, unmasked, if the detail lies inside the principal's
 * scope; null otherwise (out of scope and missing look the same, so existence does not leak).
 * `field` is a key of PERSONAL_FIELDS, a fixed list, so it may name the column.
 */
export async function revealField(db: Db, who: Principal, detailId: string, field: PersonalField): Promise<string | null> {
  const row = await selectFirst(
    db,
    sql`SELECT ${trusted(field)} AS value FROM payment_detail
        WHERE detail_id = ${param('detailId', 'String', detailId)} AND ${recordsRegionLimit(who.scope, 'scope')}
        LIMIT 1`,
    z.object({ value: z.unknown() }),
  )
  return row ? String(row.value) : null
}
