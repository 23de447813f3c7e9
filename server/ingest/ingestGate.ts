/**
 * Ingests of different batches run side by side ("shared"); a rollup repair runs alone
 * ("exclusive"): it snapshots the facts and swaps rollup partitions, and an INSERT landing in
 * between would be dropped from the rollup by the swap. A waiting repair holds back new ingests,
 * so a steady feed cannot starve it. Shutdown waits here for ingests in flight.
 */
export class IngestGate {
  private running = 0
  private requests = 0
  private accepting = true
  private exclusiveTail: Promise<void> | null = null
  private idleWaiters: Array<() => void> = []

  /** Ingests in flight (the back-pressure cap and shutdown read this). */
  get active(): number {
    return this.running
  }

  /** Ingest requests being read, checked or stored (the back-pressure cap and shutdown read this). */
  get requestsInFlight(): number {
    return this.requests
  }

  get isAccepting(): boolean {
    return this.accepting
  }

  /** Shutdown: new ingest requests are refused from now on; those in flight finish (see drain). */
  stopAccepting(): void {
    this.accepting = false
  }

  /** A server started again in the same process (tests) accepts again. */
  startAccepting(): void {
    this.accepting = true
  }

  /** Counts one ingest request from its first byte to its answer. */
  async request<T>(work: () => Promise<T>): Promise<T> {
    this.requests++
    try {
      return await work()
    } finally {
      this.requests--
      this.wakeIdle()
    }
  }

  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusiveTail) await this.exclusiveTail
    this.running++
    try {
      return await work()
    } finally {
      this.running--
      this.wakeIdle()
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

  /** True once no ingest request or store is in flight; false if that took longer than `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (this.requests > 0 || this.running > 0) {
      const left = deadline - Date.now()
      if (left <= 0) return false
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, left))),
      ])
      clearTimeout(timer)
    }
    return true
  }

  /** No store running (requests still reading or validating do not touch the tables). */
  private async idle(): Promise<void> {
    while (this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const wake of waiters) wake()
  }
}

/** One process owns the database, so one gate per process. */
export const ingestGate = new IngestGate()
