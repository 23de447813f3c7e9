import type { Db } from '../db/client'
import { rules as allRules } from './catalog/index'
import { findCases } from './evaluate'
import { select } from './sql'
import type { RuleDefinition } from './types'

export interface BranchRow {
  branch: string
  /** planted cases of this branch (0: the branch is untested) */
  truth: number
  truePositives: number
  recall: number | null
  decoys: number
  decoysFlagged: number
  /** true positives ÷ (true positives + flagged decoys) within the branch */
  precision: number | null
}

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
  /** near misses planted for this rule, and how many the rule flagged (a correct rule: none) */
  decoys: number
  decoysFlagged: number
  branches: BranchRow[]
  /** every planted case found and no decoy flagged */
  passed: boolean
  ms: number
  /** a few case keys on either side of a miss, masked to their non-personal part */
  missed: string[]
  extra: string[]
  flaggedDecoys: string[]
}

/**
 * The branches each rule's definition has (DOMAIN.md), named as the generator names them, so a
 * branch without planted cases is printed as untested instead of silently counting as 100 %.
 * Rules not listed have one branch.
 */
export const RULE_BRANCHES: Record<string, readonly string[]> = {
  R01: ['按月项目死亡次月后发放', '其他项目死亡30天后发放'],
  R16: ['资金在代发账户滞留', '退回资金闲置'],
  R20: ['明细无凭证无计划', '凭证金额与明细不符', '凭证超出计划余额'],
  R22: ['未备案代管', '一人代管多卡', '村干部代管'],
  R24: ['身份证校验位错误', '性别与身份证不符', '年龄超过上限'],
  R25: ['教育资助', '高龄津贴', '护理补贴'],
}

interface Planted { case_key: string; branch: string }

/**
 * Runs every rule over all history and measures it against what the generator planted: the cases
 * (`ground_truth`, joined on rule_id and case_key as CASES.md defines) and the near misses
 * (`decoy`). A case's branch is its `branch`, or its note where the generator set none.
 */
export async function backtest(db: Db, today: string, rules: readonly RuleDefinition[] = allRules): Promise<BacktestRow[]> {
  const rows: BacktestRow[] = []
  for (const rule of rules) {
    const started = Date.now()
    const found = new Set((await findCases(db, rule, { today })).map((row) => row.case_key))
    const ms = Date.now() - started
    const truth = await select<Planted>(
      db,
      "SELECT DISTINCT case_key, if(branch != '', branch, note) AS branch FROM ground_truth WHERE rule_id = {rule:String}",
      { rule: rule.id },
    )
    const decoys = await select<Planted>(
      db,
      "SELECT DISTINCT case_key, if(branch != '', branch, note) AS branch FROM decoy WHERE rule_id = {rule:String}",
      { rule: rule.id },
    )
    const truthKeys = new Set(truth.map((row) => row.case_key))
    const hits = [...found].filter((key) => truthKeys.has(key)).length
    const flagged = decoys.filter((row) => found.has(row.case_key) && !truthKeys.has(row.case_key))
    rows.push({
      ruleId: rule.id,
      name: rule.name,
      found: found.size,
      truth: truthKeys.size,
      truePositives: hits,
      recall: truthKeys.size ? hits / truthKeys.size : null,
      precision: found.size ? hits / found.size : null,
      decoys: new Set(decoys.map((row) => row.case_key)).size,
      decoysFlagged: new Set(flagged.map((row) => row.case_key)).size,
      branches: branchRows(rule.id, truth, decoys, found, truthKeys),
      passed: hits === truthKeys.size && truthKeys.size > 0 && flagged.length === 0,
      ms,
      missed: [...truthKeys].filter((key) => !found.has(key)).slice(0, 3).map(redactKey),
      extra: [...found].filter((key) => !truthKeys.has(key)).slice(0, 3).map(redactKey),
      flaggedDecoys: flagged.slice(0, 3).map((row) => redactKey(row.case_key)),
    })
  }
  return rows
}

function branchRows(ruleId: string, truth: Planted[], decoys: Planted[], found: Set<string>, truthKeys: Set<string>): BranchRow[] {
  // A rule with one branch: its notes are wording, not branches.
  if (!RULE_BRANCHES[ruleId]) {
    truth = truth.map((row) => ({ ...row, branch: '' }))
    decoys = decoys.map((row) => ({ ...row, branch: '' }))
  }
  const names = new Set([...(RULE_BRANCHES[ruleId] ?? []), ...truth.map((row) => row.branch)])
  return [...names].map((branch) => {
    const planted = truth.filter((row) => row.branch === branch)
    const truePositives = planted.filter((row) => found.has(row.case_key)).length
    // Decoys carry the branch they are a near miss of, or none (then they count for every branch).
    const near = decoys.filter((row) => row.branch === branch || row.branch === '' || !names.has(row.branch))
    const decoysFlagged = near.filter((row) => found.has(row.case_key) && !truthKeys.has(row.case_key)).length
    return {
      branch,
      truth: planted.length,
      truePositives,
      recall: planted.length ? truePositives / planted.length : null,
      decoys: near.length,
      decoysFlagged,
      precision: truePositives + decoysFlagged ? truePositives / (truePositives + decoysFlagged) : null,
    }
  })
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
