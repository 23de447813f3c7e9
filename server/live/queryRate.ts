/**
 * Database queries per second over the last minute, from a running count sampled every 5 s: the
 * hub's cost on /api/health, which should stay flat however many screens watch.
 */
export class QueryRate {
  private samples: Array<{ at: number; count: number }> = []
  private readonly timer: ReturnType<typeof setInterval>

  constructor(
    private readonly count: () => number,
    private readonly windowMs = 60_000,
  ) {
    this.sample()
    this.timer = setInterval(() => this.sample(), 5000)
    this.timer.unref?.()
  }

  private sample(now = Date.now()): void {
    this.samples.push({ at: now, count: this.count() })
    while (this.samples.length > 2 && now - this.samples[1].at > this.windowMs) this.samples.shift()
  }

  perSecond(now = Date.now()): number {
    const oldest = this.samples[0]
    const seconds = (now - oldest.at) / 1000
    return seconds <= 0 ? 0 : Math.round(((this.count() - oldest.count) / seconds) * 10) / 10
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
