/**
 * Runs work for the same key one at a time, in arrival order; different keys run freely. One
 * process owns the database, so this is enough to keep two deliveries of one batch from both
 * finding "not stored yet" and inserting twice.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>()

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    let release!: () => void
    const done = new Promise<void>((resolve) => (release = resolve))
    const tail = previous.then(() => done)
    this.tails.set(key, tail)
    await previous
    try {
      return await work()
    } finally {
      release()
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }

  /** Keys with work running or waiting (for tests and health). */
  get size(): number {
    return this.tails.size
  }
}
