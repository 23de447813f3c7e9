/**
 * Row versions for the ReplacingMergeTree tables: microseconds since epoch, strictly increasing in
 * this process and larger than anything an earlier process wrote (clocks do not run backwards by
 * more than the restart takes). Version 1 is kept for the outbox's first write (see 076_notify.sql).
 */
let last = 0

export function nextVersion(): number {
  last = Math.max(Date.now() * 1000, last + 1)
  return last
}
