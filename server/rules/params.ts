import { ruleThresholds, type RuleThresholds } from '../catalogue/thresholds'
import { catalogueParams } from '../catalogue/projectFacts'
import { beijingDay } from '../beijingTime'

/**
 * The parameters every rule's SQL may use. Unused ones are ignored by ClickHouse, so each rule
 * simply names what it needs:
 *   {since:DateTime64(3)}  incremental watermark (ingested_at after it); epoch for a full pass
 *   {today:Date}           the evaluation date (Asia/Shanghai)
 *   thresholds             {graceDays:UInt32} {tolerance:Float64} {sharedPhoneMin:UInt32}
 *                          {reissueDays:UInt32} {idleVoucherDays:UInt32} {idleRefundDays:UInt32}
 *                          {slaDays:Map(String, UInt32)} {lateDays:UInt32} {underMargin:Float64}
 *                          {dormantMonths:UInt32} {proxyMaxCards:UInt32} {jumpRatio:Float64} {maxAge:UInt32}
 *   catalogue              {monthlyProjects:Array(String)} {reliefProjects:Array(String)}
 *                          {villageReviewedProjects:Array(String)} {ageMin:Map(String, UInt8)}
 *                          {ageMax:Map(String, UInt8)} {exclusionGroup:Map(String, String)}
 *                          {eduAidProjects:Array(String)} {elderAidProjects:Array(String)} {careAidProjects:Array(String)}
 */
export interface RunWindow {
  /** rows ingested after this instant; undefined for a full pass over all history */
  since?: Date
  /** 'YYYY-MM-DD' in Asia/Shanghai */
  today: string
}

export const EPOCH = new Date(0)

export function ruleParams(window: RunWindow, thresholds: RuleThresholds = ruleThresholds): Record<string, unknown> {
  return {
    since: formatDateTime64(window.since ?? EPOCH),
    today: window.today,
    graceDays: thresholds.afterDeathGraceDays,
    tolerance: thresholds.aboveStandardTolerance,
    sharedPhoneMin: thresholds.sharedPhoneMinPeople,
    reissueDays: thresholds.reissueWithinDays,
    idleVoucherDays: thresholds.idleVoucherDays,
    idleRefundDays: thresholds.idleRefundDays,
    slaDays: thresholds.approvalSlaDays,
    lateDays: thresholds.latePaymentDays,
    underMargin: thresholds.underExecutionMargin,
    dormantMonths: thresholds.dormantMonths,
    proxyMaxCards: thresholds.proxyMaxCards,
    jumpRatio: thresholds.amountJumpRatio,
    maxAge: thresholds.maxAge,
    ...catalogueParams(),
  }
}

/** DateTime64(3) parameter text in UTC seconds, unambiguous whatever the column's time zone. */
export function formatDateTime64(at: Date): string {
  return (at.getTime() / 1000).toFixed(3)
}

/**
 * The date the rules were last evaluated as of (set by the engine: today in Beijing unless a script
 * fixed another day). The wall's live counts of the same rules (approvals.overdue) use the same date
 * so the two agree.
 */
let lastEvaluationDay: string | undefined

export function setEvaluationDay(day: string): void {
  lastEvaluationDay = day
}

export function evaluationDay(): string {
  return lastEvaluationDay ?? beijingDay()
}
