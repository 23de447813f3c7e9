/**
 * Group commit: work items that arrive while a group of the same kind is being written wait, then
 * go out together as the next group. Storing a batch takes the same few statements whatever its
 * size (ledger lookups, the INSERT, the ledger entry), and each INSERT pays a fixed cost beside its
 * rows: on chDB one statement at a time, and a new part in the table and in every rollup its views
 * feed, each merged later. Under load, batches share those. An item that finds nothing being
 * written starts at once: a lone batch waits for nothing. Figures: `server/ingest/README.md`.
 */

/** What one item of a group came to: its own result, or its own refusal. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown }

export class GroupCommit<T, R> {
  private readonly waiting: Array<{ item: T; resolve: (value: R) => void; reject: (error: unknown) => void }> = []
  private writing = false

  /**
   * @param write writes the items as one group, giving each item's outcome in order; when it
   *   throws, every item of the group fails with that error
   * @param sizeOf an item's share of `maxSize`
   * @param maxSize a group stops before it passes this; a larger item goes alone
   */
  constructor(
    private readonly write: (items: readonly T[]) => Promise<ReadonlyArray<Settled<R>>>,
    private readonly sizeOf: (item: T) => number,
    private readonly maxSize: number,
  ) {}

  /** The item's outcome, once the group it went in is written. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject })
      if (!this.writing) void this.drain()
    })
  }

  /** Items waiting for the group being written (tests and health). */
  get queued(): number {
    return this.waiting.length
  }

  private async drain(): Promise<void> {
    this.writing = true
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, this.groupLength())
        let outcomes: ReadonlyArray<Settled<R>>
        try {
          outcomes = await this.write(group.map((entry) => entry.item))
          if (outcomes.length !== group.length) throw new Error(`a group of ${group.length} got ${outcomes.length} outcomes`)
        } catch (error) {
          outcomes = group.map(() => ({ ok: false, error }))
        }
        group.forEach((entry, i) => {
          const outcome = outcomes[i]
          if (outcome.ok) entry.resolve(outcome.value)
          else entry.reject(outcome.error)
        })
      }
    } finally {
      this.writing = false
    }
  }

  private groupLength(): number {
    let size = this.sizeOf(this.waiting[0].item)
    let length = 1
    while (length < this.waiting.length) {
      const next = this.sizeOf(this.waiting[length].item)
      if (size + next > this.maxSize) break
      size += next
      length += 1
    }
    return length
  }
}
