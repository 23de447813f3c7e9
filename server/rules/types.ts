import type { FlagEvent } from '../../dashboards/types'

export type Severity = FlagEvent['severity']

/** The article's three classes of problem data, and policy risks beside them. */
export type ProblemClass = '手工录入失误' | '基础数据不准' | '后台数据不全' | '政策风险'

export const PROBLEM_CLASSES: readonly ProblemClass[] = ['手工录入失误', '基础数据不准', '后台数据不全', '政策风险']

/**
 * How much of the data a run looks at: everything ('full'), or only cases touched by rows ingested
 * after `{since:DateTime64(3)}` ('incremental'). A full pass must not pay for the incremental
 * filter: an IN-set over every row costs seconds on millions of payments.
 */
export type RunMode = 'full' | 'incremental'

/** Tables a rule reads; the engine skips a rule on a full pass when none of them changed. */
export type RuleTable =
  | 'payment_detail' | 'payment_voucher' | 'spending_plan' | 'budget_indicator' | 'workflow_event'
  | 'beneficiary' | 'household' | 'ref_death' | 'ref_official' | 'ref_disability' | 'ref_asset' | 'card_activity'

/**
 * A supervision rule as code. `sql` returns one row per case with the columns of `RuleCaseRow`,
 * taking values only through `{name:Type}` parameters (see params.ts for the ones every rule gets).
 */
export interface RuleDefinition {
  id: string
  /** Chinese name shown on the wall and in the ledger */
  name: string
  severity: Severity
  class: ProblemClass
  /** One line a supervisor reads on a flag: why this is a problem. */
  explanation: string
  /**
   * true: the SQL limits itself to cases touched by rows ingested after `{since:DateTime64(3)}`, so
   * the engine runs it on every ingest. false: the case appears with the passing of time (a deadline
   * passes) or is rare; the engine runs it on its periodic full pass.
   */
  incremental: boolean
  /** Input tables: a full pass re-runs the rule only when one of them (or the evaluation day) changed. */
  reads: readonly RuleTable[]
  /** The SQL for a run mode (rules without an incremental form ignore the argument). */
  sql: (mode: RunMode) => string
}

/** What every rule's SQL returns, one row per case. */
export interface RuleCaseRow {
  case_key: string
  county_code: string
  town_code: string
  village_code: string
  amount: number | string | null
  /** masked label, built in SQL with maskSql.ts */
  subject: string
  detail_ids: string[]
  detected_at: string
}

export function defineRule(rule: RuleDefinition): RuleDefinition {
  return rule
}
