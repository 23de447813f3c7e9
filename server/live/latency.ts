/** The last `capacity` samples (ms) and their percentiles, for /api/health and the bench. */
export class LatencyRing {
  private samples: number[] = []
  private next = 0
  count = 0
  last: number | null = null

  constructor(private readonly capacity = 1000) {}

  add(ms: number): void {
    if (this.samples.length < this.capacity) this.samples.push(ms)
    else this.samples[this.next] = ms
    this.next = (this.next + 1) % this.capacity
    this.count += 1
    this.last = ms
  }

  percentile(p: number): number | null {
    if (this.samples.length === 0) return null
    const sorted = [...this.samples].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
  }

  summary(): { count: number; last: number | null; p50: number | null; p95: number | null } {
    return { count: this.count, last: this.last, p50: this.percentile(50), p95: this.percentile(95) }
  }
}

/**
 * Ingest → screen latency: each ingest event waits for the first update emitted by a computation
 * that started after the event arrived; then acknowledgedAt → emit is one sample. Events no room
 * ever shows (nobody watches that data) expire unmeasured.
 */
export class IngestLatency {
  readonly ring = new LatencyRing()
  private pending: Array<{ acknowledgedAt: number; receivedAt: number }> = []
  expired = 0

  constructor(private readonly expireAfterMs = 60_000) {}

  received(acknowledgedAt: number, receivedAt = Date.now()): void {
    this.pending.push({ acknowledgedAt, receivedAt })
  }

  /** Called when a computation that started at `computationStartedAt` emitted an update. */
  emitted(computationStartedAt: number, emittedAt = Date.now()): void {
    const still: typeof this.pending = []
    for (const event of this.pending) {
      if (event.receivedAt <= computationStartedAt) this.ring.add(emittedAt - event.acknowledgedAt)
      else if (emittedAt - event.receivedAt > this.expireAfterMs) this.expired += 1
      else still.push(event)
    }
    this.pending = still
  }

  expire(now = Date.now()): void {
    const before = this.pending.length
    this.pending = this.pending.filter((event) => now - event.receivedAt <= this.expireAfterMs)
    this.expired += before - this.pending.length
  }
}
