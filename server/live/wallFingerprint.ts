import type { Db } from '../db/client'
import { readTableVersions } from '../db/tableVersions'
import { beijingDay } from '../beijingTime'

/**
 * Tables that hold the service's own bookkeeping, never what a wall panel shows: sign-ins and
 * tokens, the audit trail, the notify outbox and its cursors, the ingest and bulk-load ledgers,
 * migrations, and the seed's evaluation truth. They are written while the wall is idle (every
 * API call is audited; the notify worker delivers and retries), so counting them would turn
 * every clock refresh of an idle wall into a full pass of all rooms.
 * `wallFingerprint.test.ts` checks that no metric or wall query reads one of them.
 */
export const OPERATIONAL_TABLES: ReadonlySet<string> = new Set([
  'app_session',
  'app_user',
  'audit_log',
  'display_token',
  'notify_outbox',
  'notify_cursor',
  'notify_subscription',
  'ingest_batch',
  'bulk_file',
  'schema_migrations',
  'decoy',
  'ground_truth',
])

/** The day and the versions of every table the wall can read: equal means every room shows what it would show now. */
export async function wallDataFingerprint(db: Db): Promise<string> {
  const versions = await readTableVersions(db)
  const read = [...versions].filter(([table]) => !OPERATIONAL_TABLES.has(table))
  return `${beijingDay()}|${read.sort(([a], [b]) => a.localeCompare(b)).map(([table, version]) => `${table}=${version}`).join(',')}`
}
