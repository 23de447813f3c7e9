/**
 * Read-then-write changes of one item (ledger item, follow-up) run one at a time in this process,
 * so two clicks cannot both pass the state check. Keys are released when their queue drains.
 */
const queues = new Map<string, Promise<unknown>>()

export async function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve()
  const run = previous.catch(() => undefined).then(work)
  const tail = run.catch(() => undefined)
  queues.set(key, tail)
  try {
    return await run
  } finally {
    if (queues.get(key) === tail) queues.delete(key)
  }
}
