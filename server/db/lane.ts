import type { ClickHouseClient } from '@clickhouse/client'
import { statementOf, traced } from './engineTrace'

/**
 * One engine, two priorities. chDB runs one query at a time per process: a rule query of a second
 * issued just before a hub query makes the wall wait that second. Everything the server asks of
 * the engine is 'high' and passes straight through (counted while in the engine); background work
 * (the rule engine) is 'low': each low query waits until no high query is in the engine or
 * announced (busy signals: a live pass due, an ingest delivery under way), and the lane has been
 * quiet a moment, then goes alone. Low work therefore fills the gaps between the hub's passes and
 * never queues in front of them; it only ever delays a high query by its own length, so callers
 * keep low queries small (one rule, the touched keys only).
 *
 * A low query waits at most `maxWaitMs` (default 15 s): a hub busy without pause must not stop the
 * rules for good; then it goes, and waits its turn in the engine as any query does.
 */
export interface LaneOptions {
  /** Quiet time after the last high query before low work starts (the hub chains its reads). */
  quietMs?: number
  maxWaitMs?: number
}

export interface LaneStats {
  highQueries: number
  lowQueries: number
  /** low queries that went after maxWaitMs with the lane still busy */
  lowForced: number
  /** time low work spent in the engine, ms, total */
  lowMs: number
  /** time low work waited for the lane, ms, total */
  lowWaitMs: number
}

export class EngineLane {
  private highInFlight = 0
  private lastHighEndedAt = 0
  private readonly busySignals: Array<() => boolean> = []
  private readonly waiting: Array<{ since: number; go: () => void }> = []
  private lowRunning = false
  private timer: ReturnType<typeof setTimeout> | undefined
  readonly stats: LaneStats = { highQueries: 0, lowQueries: 0, lowForced: 0, lowMs: 0, lowWaitMs: 0 }
  private readonly quietMs: number
  private readonly maxWaitMs: number

  constructor(options: LaneOptions = {}) {
    this.quietMs = options.quietMs ?? 100
    this.maxWaitMs = options.maxWaitMs ?? 15_000
  }

  /** Something about to ask the engine (true = busy): low work waits while any says so. */
  addBusySignal(signal: () => boolean): () => void {
    this.busySignals.push(signal)
    return () => {
      const index = this.busySignals.indexOf(signal)
      if (index >= 0) this.busySignals.splice(index, 1)
    }
  }

  async high<T>(work: () => Promise<T>): Promise<T> {
    this.highInFlight += 1
    this.stats.highQueries += 1
    try {
      return await work()
    } finally {
      this.highInFlight -= 1
      this.lastHighEndedAt = Date.now()
      this.wake(this.quietMs)
    }
  }

  async low<T>(work: () => Promise<T>): Promise<T> {
    const since = Date.now()
    await new Promise<void>((go) => {
      this.waiting.push({ since, go })
      this.wake(0)
    })
    const started = Date.now()
    this.stats.lowWaitMs += started - since
    this.stats.lowQueries += 1
    try {
      return await work()
    } finally {
      this.stats.lowMs += Date.now() - started
      this.lowRunning = false
      this.wake(0)
    }
  }

  /** True when a high query is in the engine or announced. */
  busy(): boolean {
    return this.highInFlight > 0 || this.busySignals.some((signal) => signal())
  }

  /** Looks again in `delayMs` whether the next low query may go. */
  private wake(delayMs: number): void {
    if (this.waiting.length === 0 || this.lowRunning) return
    if (this.timer) {
      if (delayMs > 0) return // a look is already due
      clearTimeout(this.timer)
    }
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.admit()
    }, delayMs)
    this.timer.unref?.()
  }

  private admit(): void {
    if (this.waiting.length === 0 || this.lowRunning) return
    const now = Date.now()
    const quietFor = now - this.lastHighEndedAt
    const forced = now - this.waiting[0].since >= this.maxWaitMs
    if (!forced && (this.busy() || quietFor < this.quietMs)) {
      // Busy signals do not announce their end: look again shortly.
      this.wake(Math.max(10, this.quietMs - quietFor))
      return
    }
    if (forced && this.busy()) this.stats.lowForced += 1
    this.lowRunning = true
    this.waiting.shift()!.go()
  }
}

/** Query methods of the client: each call is one trip to the engine. */
const ENGINE_CALLS = new Set(['query', 'insert', 'command', 'exec'])

/** The client with every engine call going through the lane at `priority`. */
export function laneClient(client: ClickHouseClient, lane: EngineLane, priority: 'high' | 'low'): ClickHouseClient {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target)
      if (typeof value !== 'function') return value
      if (typeof property === 'string' && ENGINE_CALLS.has(property))
        return (...args: unknown[]) =>
          lane[priority](() => traced(priority, statementOf(args), () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)))
      return value.bind(target)
    },
  })
}
