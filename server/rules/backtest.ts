import type { Db } from '../db/client'
import { rules as allRules } from './catalog/index'
import { findCases } from './evaluate'
import { select } from './sql'
import type { RuleDefinition } from './types'

export interface BacktestRow {
  ruleId: string
  name: string
  found: number
  truth: number
  truePositives: number
  /** null when the generator injected no case for this rule */
  recall: number | null
  /** null when the rule found nothing */
  precision: number | null
  ms: number
  /** a few case keys on either side of a miss, masked to their non-personal part */
  missed: string[]
  extra: string[]
}

/**
 * Runs every rule over all history and measures it against the generator's ground truth, joined
 * on (rule_id, case_key) as CASES.md defines.
 */
export async function backtest(db: Db, today: string, rules: readonly RuleDefinition[] = allRules): Promise<BacktestRow[]> {
  const rows: BacktestRow[] = []
  for (const rule of rules) {
    const started = Date.now()
    const found = new Set((await findCases(db, rule, { today })).map((row) => row.case_key))
    const ms = Date.now() - started
    const truth = new Set(
      (await select<{ case_key: string }>(db, 'SELECT DISTINCT case_key FROM ground_truth WHERE rule_id = {rule:String}', { rule: rule.id })).map((row) => row.case_key),
    )
    const hits = [...found].filter((key) => truth.has(key)).length
    rows.push({
      ruleId: rule.id,
      name: rule.name,
      found: found.size,
      truth: truth.size,
      truePositives: hits,
      recall: truth.size ? hits / truth.size : null,
      precision: found.size ? hits / found.size : null,
      ms,
      missed: [...truth].filter((key) => !found.has(key)).slice(0, 3).map(redactKey),
      extra: [...found].filter((key) => !truth.has(key)).slice(0, 3).map(redactKey),
    })
  }
  return rows
}

/** Case keys may hold a 身份证号, card or phone: keep 6 + 4 of any long digit run for printing. */
export function redactKey(key: string): string {
  return key.replace(/\d{10,}[\dX]?/g, (digits) => digits.slice(0, 6) + '*'.repeat(digits.length - 10) + digits.slice(-4))
}

/** The date the data describes: the newest payment day, so a seeded history is judged as of its end. */
export async function dataToday(db: Db): Promise<string | null> {
  // The monthly rollup answers this without scanning payment_detail.
  const [row] = await select<{ day: string; n: string }>(db, 'SELECT toString(toDate(max(newest_time))) AS day, count() AS n FROM agg_payment_month')
  return Number(row.n) > 0 ? row.day : null
}
