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

/** DateTime64(3, 'Asia/Shanghai') text of an instant, for inserts and parameters. */
export function shanghaiText(at: number | Date = Date.now()): string {
  const ms = typeof at === 'number' ? at : at.getTime()
  return new Date(ms + 8 * 3600_000).toISOString().replace('T', ' ').replace('Z', '')
}

/** Milliseconds since epoch of a DateTime64 text read back from an 'Asia/Shanghai' column. */
export function msFromShanghai(text: string): number {
  return Date.parse(text.replace(' ', 'T') + '+08:00')
}
