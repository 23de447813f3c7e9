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
 * Ingest → screen latency, per room the ingest changed: an ingest event waits on the rooms that
 * were watched and read its data when it arrived. Each such room's first computation started
 * after the event settles it: if that computation emitted an update (the batch changed what the
 * room shows), acknowledgedAt → emit is one sample; if it emitted nothing, the batch did not
 * change that room. Rooms subscribed later (a rotating wall's next theme) are not waited on, and
 * rule runs cannot stand in for the room's own push. Rooms still waiting after expireAfterMs count
 * as unshown.
 */
export class IngestLatency {
  readonly ring = new LatencyRing()
  private pending: Array<{ acknowledgedAt: number; receivedAt: number; waiting: Set<string> }> = []
  /** (event, room) pairs a watched room never showed within expireAfterMs. */
  expired = 0

  constructor(private readonly expireAfterMs = 60_000) {}

  received(acknowledgedAt: number, watchedRooms: Iterable<string>, receivedAt = Date.now()): void {
    const waiting = new Set(watchedRooms)
    if (waiting.size > 0) this.pending.push({ acknowledgedAt, receivedAt, waiting })
  }

  /** Room `room` finished a computation that started at `startedAt`; `emitted`: it pushed an update. */
  computed(room: string, startedAt: number, emitted: boolean, at = Date.now()): void {
    for (const event of this.pending) {
      if (event.receivedAt > startedAt || !event.waiting.delete(room)) continue
      if (emitted) this.ring.add(at - event.acknowledgedAt)
    }
    this.pending = this.pending.filter((event) => event.waiting.size > 0)
  }

  expire(now = Date.now()): void {
    const still: typeof this.pending = []
    for (const event of this.pending) {
      if (now - event.receivedAt <= this.expireAfterMs) still.push(event)
      else this.expired += event.waiting.size
    }
    this.pending = still
  }
}
