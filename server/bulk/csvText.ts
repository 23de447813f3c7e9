/**
 * The little CSV the loader does itself: finding where records end (so a file is cut into chunks
 * at record boundaries, never inside a quoted field) and reading the header. Parsing the records
 * is ClickHouse's job (its CSV input format).
 */

const QUOTE = 0x22
const NEWLINE = 0x0a

/**
 * Index just past the last complete record in `bytes` (0 when none is complete), and how many
 * records lie before it. `inQuote` carries the quote state in from the previous chunk: a chunk is
 * only ever cut after a newline outside quotes, so it always starts outside quotes.
 */
export function completeRecords(bytes: Buffer): { end: number; records: number } {
  if (bytes.indexOf(QUOTE) === -1) {
    // The common case (bank files rarely quote): every newline ends a record.
    let records = 0
    let last = -1
    for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) {
      records++
      last = i
    }
    return { end: last + 1, records }
  }
  let inQuote = false
  let records = 0
  let end = 0
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]
    if (byte === QUOTE) inQuote = !inQuote
    else if (byte === NEWLINE && !inQuote) {
      records++
      end = i + 1
    }
  }
  return { end, records }
}

/** Records in a final piece that has no newline after its last record (0 or 1). */
export function trailingRecord(bytes: Buffer): number {
  return bytes.toString('utf8').trim() === '' ? 0 : 1
}

/** One CSV record (the header) into its fields; quotes as RFC 4180. */
export function splitRecord(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let inQuote = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (inQuote) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') inQuote = false
      else field += ch
    } else if (ch === '"') inQuote = true
    else if (ch === ',') {
      fields.push(field)
      field = ''
    } else if (ch !== '\r' && ch !== '\n') field += ch
  }
  fields.push(field)
  return fields
}

/** One row of values as a CSV record (for sources that are not CSV, such as Excel sheets). */
export function csvRecord(values: readonly string[]): string {
  return values.map((value) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)).join(',') + '\n'
}
