/** DateTime64(3, 'Asia/Shanghai') text for inserts: the column reads it in its own time zone. */
export function shanghaiDateTime(at: Date = new Date()): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().replace('T', ' ').replace('Z', '')
}

/** ISO 8601 (with offset) of a DateTime64 text read back from an 'Asia/Shanghai' column. */
export function isoFromShanghai(text: string): string {
  return new Date(text.replace(' ', 'T') + '+08:00').toISOString()
}
