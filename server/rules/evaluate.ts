import type { Db } from '../db/client'
import type { FlagEvent } from '../../dashboards/types'
import { getRegion } from '../../geo/regions'
import { ruleParams, type RunWindow } from './params'
import { rowRegion } from './scope'
import type { RuleCaseRow, RuleDefinition } from './types'
import { isoFromBeijing as isoFromShanghai } from '../beijingTime'

/** A case stored as a flag (the row written to `flag`). */
export interface StoredFlag extends RuleCaseRow {
  flag_id: string
  rule_id: string
  severity: RuleDefinition['severity']
  class: RuleDefinition['class']
}

/** The rule's SQL for this window: incremental when it has a watermark and the rule supports it. */
export function ruleSql(rule: RuleDefinition, window: RunWindow): string {
  return rule.sql(window.since && rule.incremental ? 'incremental' : 'full')
}

/** Every case the rule finds in the window (stored or not): the back-test reads this. */
export async function findCases(db: Db, rule: RuleDefinition, window: RunWindow): Promise<RuleCaseRow[]> {
  const result = await db.client.query({
    query: `SELECT * FROM (${ruleSql(rule, window)}) LIMIT 1 BY case_key`,
    query_params: ruleParams(window),
    format: 'JSONEachRow',
  })
  return result.json<RuleCaseRow>()
}

/**
 * Runs the rule and stores the cases that are not flags yet; returns only those. Callers run one
 * evaluation at a time (the engine serialises), so "not present yet" cannot race with itself, and
 * the ReplacingMergeTree key (rule_id, case_key) collapses anything that slips through.
 */
export async function storeNewFlags(db: Db, rule: RuleDefinition, window: RunWindow): Promise<StoredFlag[]> {
  const result = await db.client.query({
    query: `SELECT hex(cityHash64({ruleId:String}, c.case_key)) AS flag_id, c.*
            FROM (${ruleSql(rule, window)}) AS c
            WHERE c.case_key NOT IN (SELECT case_key FROM flag WHERE rule_id = {ruleId:String})
            LIMIT 1 BY c.case_key`,
    query_params: { ...ruleParams(window), ruleId: rule.id },
    format: 'JSONEachRow',
  })
  const cases = await result.json<RuleCaseRow & { flag_id: string }>()
  const flags: StoredFlag[] = cases.map((row) => ({ ...row, rule_id: rule.id, severity: rule.severity, class: rule.class }))
  if (flags.length > 0) {
    await db.client.insert({ table: 'flag', values: flags, format: 'JSONEachRow' })
  }
  return flags
}

/** The masked event the live hub broadcasts for a new flag. */
export function toFlagEvent(rule: RuleDefinition, flag: StoredFlag): FlagEvent {
  const regionCode = rowRegion(flag)
  return {
    flagId: flag.flag_id,
    ruleId: rule.id,
    ruleName: rule.name,
    severity: flag.severity,
    regionCode,
    regionName: getRegion(regionCode)?.name ?? regionCode,
    amount: flag.amount === null ? null : Number(flag.amount),
    subject: flag.subject,
    detectedAt: isoFromShanghai(flag.detected_at),
  }
}
