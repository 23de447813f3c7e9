import type { Db } from '../db/client'
import type { RunSummary } from './engine'
import { beijingDateTimeMs } from '../beijingTime'

/**
 * Writes down a finished full pass (table rule_pass, migration 096). The wall's alert panels read
 * it to tell "no flags because nothing was found" from "no flags because the rules have not yet
 * run over this data" (a first start over fresh data: the first pass takes a while over years of
 * history, and a 0 in 未处置预警 meanwhile would read as a clean city).
 */
export async function recordFullPass(db: Db, summary: RunSummary, rulesSelected: number, evaluationDay: string, finishedAt: Date): Promise<void> {
  await db.client.insert({
    table: 'rule_pass',
    format: 'JSONEachRow',
    values: [
      {
        finished_at: beijingDateTimeMs(finishedAt),
        evaluation_day: evaluationDay,
        rules_run: rulesSelected - summary.skipped.length - summary.failed.length,
        rules_skipped: summary.skipped.length,
        rules_failed: summary.failed,
        new_flags: summary.newFlags,
        ms: summary.ms,
      },
    ],
  })
}
