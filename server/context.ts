import type { AppConfig } from './config'
import type { Db } from './db/client'
import type { Auth } from './access/principal'
import type { DescriptorBudget } from './descriptors'
import type { PaymentSums } from './ingest/paymentSums'

export interface Logger {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

/**
 * What every part of the running server shares. Parts started later (live hub, rule engine, access)
 * register listeners and health sections here.
 */
export interface AppContext {
  config: AppConfig
  db: Db
  log: Logger
  startedAt: Date
  /** Who is asking (server/access). Every handler and socket subscription goes through it. */
  auth: Auth
  /** Listeners called after any batch of any feed is stored (the live hub and rules listen). */
  onIngest: Array<(event: IngestEvent) => void>
  /**
   * Tell the live hub that data outside the ingest feeds changed (rules, ledger, follow-ups), so
   * rooms reading it recompute on the next tick. Set by registerParts; a no-op before.
   */
  dataChanged: (kind: 'flags' | 'ledger' | 'outreach' | 'workflow') => void
  /** Sections other parts add to /api/health, e.g. ['live', () => stats]. */
  healthExtras: Array<() => [string, unknown]>
  /**
   * Ingest deliveries started, and those whose rows may be stored but not yet announced (set by
   * the ingest routes): the live hub keeps rows it read only when no delivery overlapped the read.
   */
  ingestWatch?: { started: number; running: number }
  /** Open-files limit and the socket cap under it (set by startApp; parts built without it read the limit themselves). */
  descriptors?: DescriptorBudget
  /** The rule engine off or on (resolves when a run in flight ended); set when it runs. The bench uses it. */
  ruleSwitch?: (on: boolean) => Promise<void>
}

export interface IngestEvent {
  feed: string
  batchId: string
  rows: number
  /** Time the batch was acknowledged to its sender (ms since epoch): start of ingest→screen latency. */
  acknowledgedAt: number
  /**
   * The payments this delivery stored, summed per place, month and status (absent when they were
   * stored by an earlier, interrupted delivery, and for other feeds): the live hub adds them to its
   * additive figures.
   */
  payments?: PaymentSums
  /** The rows had been stored by a delivery interrupted before its ledger entry (and perhaps before its rollups). */
  recovered?: boolean
}

export const consoleLogger: Logger = {
  info: (message) => console.log(`[ykt] ${message}`),
  warn: (message) => console.warn(`[ykt] ${message}`),
  error: (message) => console.error(`[ykt] ${message}`),
}
