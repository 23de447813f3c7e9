/**
 * Ingests of different batches run side by side ("shared"); a rollup repair runs alone
 * ("exclusive"): it snapshots the facts and swaps rollup partitions, and an INSERT landing in
 * between would be dropped from the rollup by the swap. A waiting repair holds back new ingests,
 * so a steady feed cannot starve it. Shutdown waits here for ingests in flight.
 */
export class IngestGate {
  private running = 0
  private exclusiveTail: Promise<void> | null = null
  private idleWaiters: Array<() => void> = []

  /** Ingests in flight (the back-pressure cap and shutdown read this). */
  get active(): number {
    return this.running
  }

  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusiveTail) await this.exclusiveTail
    this.running++
    try {
      return await work()
    } finally {
      this.running--
      if (this.running === 0) this.wakeIdle()
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusiveTail) await this.exclusiveTail
    let release!: () => void
    this.exclusiveTail = new Promise<void>((resolve) => (release = resolve))
    try {
      await this.idle()
      return await work()
    } finally {
      this.exclusiveTail = null
      release()
    }
  }

  /** Resolves when no ingest is in flight, or false after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
    try {
      return await Promise.race([this.idle().then(() => true), timedOut])
    } finally {
      clearTimeout(timer)
    }
  }

  private idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const wake of waiters) wake()
  }
}

/** One process owns the database, so one gate per process. */
export const ingestGate = new IngestGate()
