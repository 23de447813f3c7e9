import type { Db } from '../db/client'
import type { PersonalField } from '../access/mask'
import type { Principal } from '../access/principal'
import { regionCondition } from './regionScope'

/**
 * One personal field of one payment detail, unmasked, if the detail lies inside the principal's
 * scope; null otherwise (out of scope and missing look the same, so existence does not leak).
 * `field` is a key of PERSONAL_FIELDS, a fixed list, so it may name the column.
 */
export async function revealField(db: Db, who: Principal, detailId: string, field: PersonalField): Promise<string | null> {
  const scope = regionCondition(who.scope, 'scope')
  const result = await db.client.query({
    query: `SELECT ${field} AS value FROM payment_detail
            WHERE detail_id = {detailId:String} AND ${scope.sql}
            LIMIT 1`,
    query_params: { ...scope.params, detailId },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ value: string }>()
  return row ? String(row.value) : null
}
