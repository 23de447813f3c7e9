/**
 * Bounds for what a feed may send. They are sanity limits against entry errors and runaway
 * senders, not policy: subsidy standards live in the catalogue.
 */
export const ingestLimits = {
  /** Largest request body accepted (about 50k payment records as JSON). */
  maxBodyBytes: 64 * 1024 * 1024,
  /** Errors listed in one 400 answer; checking stops there. */
  maxReportedErrors: 100,
  /**
   * Ingest requests worked on at once; more are answered 429 with Retry-After. Bounds memory
   * (each costs a few times its body) and keeps a flood from queueing behind one database.
   */
  maxConcurrentRequests: 4,
  /** Seconds a refused sender is asked to wait before retrying. */
  retryAfterSeconds: 2,
  /** One payment to one person: the largest items (危房改造, 农机购置) stay well below this. */
  maxPaymentYuan: 1_000_000,
  /** One budget indicator, spending plan or voucher. */
  maxBudgetYuan: 10_000_000_000,
  /** Approval steps recorded by the workflow systems start in 2000; earlier times are entry errors. */
  earliestApprovalTime: '2000-01-01 00:00:00',
  /** Payments made through 一卡通 start in 2018 (the article's figures run "since 2018"). */
  earliestPayTime: '2018-01-01 00:00:00',
  /** Clocks of the paying banks may run ahead a little; a day is the slack allowed. */
  futureSlackMs: 24 * 3600_000,
} as const
