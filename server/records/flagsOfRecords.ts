import { z } from 'zod'
import type { Db } from '../db/client'
import { param, select, sql } from '../sql'
import { getRule } from '../rules/catalog/index'

/** A flag as a record lists it: which rule, how severe, and its id to open it. */
export interface RecordFlag {
  flagId: string
  ruleId: string
  ruleName: string
  severity: string
}

const flagOfRecordRow = z.object({ detail_id: z.string(), flag_id: z.string(), rule_id: z.string(), severity: z.string() })

/**
 * The flags naming each of these payment details (a record → its flags). The caller has already
 * limited the details to the principal's scope, so the flags of those details are theirs to see.
 */
export async function flagsOfRecords(db: Db, detailIds: string[]): Promise<Map<string, RecordFlag[]>> {
  const found = new Map<string, RecordFlag[]>()
  if (detailIds.length === 0) return found
  const ids = param('ids', 'Array(String)', detailIds)
  const rows = await select(
    db,
    sql`SELECT detail_id, flag_id, rule_id, toString(severity) AS severity
        FROM (SELECT flag_id, rule_id, severity, arrayJoin(detail_ids) AS detail_id FROM flag FINAL WHERE hasAny(detail_ids, ${ids}))
        WHERE detail_id IN ${ids}
        ORDER BY detail_id, rule_id, flag_id`,
    flagOfRecordRow,
  )
  for (const row of rows) {
    const list = found.get(row.detail_id) ?? []
    list.push({ flagId: row.flag_id, ruleId: row.rule_id, ruleName: getRule(row.rule_id)?.name ?? row.rule_id, severity: row.severity })
    found.set(row.detail_id, list)
  }
  return found
}
