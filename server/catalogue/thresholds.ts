/**
 * Rule thresholds, kept as configuration (DOMAIN.md marks them as realistic defaults, not law).
 * The generator reads the same values so that clean demo data stays clear of every threshold.
 */
export const ruleThresholds = {
  /** R01: non-monthly items paid more than this many days after death. */
  afterDeathGraceDays: 30,
  /** R05: tolerance over standard × base quantity. */
  aboveStandardTolerance: 0.0,
  /** R11: one phone reserved for at least this many beneficiaries across households. */
  sharedPhoneMinPeople: 5,
  /** R15: a failed payment must be re-issued successfully within this many days. */
  reissueWithinDays: 7,
  /** R16: voucher paid to the bank but not on cards this many days later. */
  idleVoucherDays: 3,
  /** R16: refunds (退回) idle longer than this many days. */
  idleRefundDays: 30,
  /** R17: SLA in days for reaching each node from the previous one. */
  approvalSlaDays: { 村评: 7, 镇审: 7, 县定: 10, 市管: 5 } as Record<string, number>,
  /** R18: a payment is late when paid this many days after the end of its period. */
  latePaymentDays: 45,
  /** R19: execution rate below time-elapsed progress minus this margin. */
  underExecutionMargin: 0.2,
  /** R21: months of credits without any withdrawal. */
  dormantMonths: 12,
  /** R22: one holder holding at least this many cards. */
  proxyMaxCards: 5,
  /** R23: deviation from the person's median amount for the item. */
  amountJumpRatio: 0.5,
  /** R24: oldest plausible age. */
  maxAge: 120,
} as const

export type RuleThresholds = typeof ruleThresholds
