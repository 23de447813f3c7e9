/**
 * One pass over a JSON text that builds no values. It finds where each element of the batch's
 * record list starts and ends (so records are parsed one by one, with pauses for the event loop,
 * instead of one JSON.parse of up to 64 MB), and every key that appears twice in one object
 * (JSON.parse silently keeps the last one, so a record could say two things about one column).
 * Syntax is not checked here: JSON.parse of the envelope and of each record does that.
 */
export interface Span {
  start: number
  end: number
}

export interface DuplicateKey {
  /** index of the record it is in; null for the envelope `{ batchId, records }` */
  record: number | null
  key: string
}

export interface ScanResult {
  /** The `records` array of the envelope, brackets included; null when there is none. */
  recordsArray: Span | null
  records: Span[]
  duplicates: DuplicateKey[]
}

interface ObjectFrame {
  kind: 'object'
  keys: Set<string>
  expectKey: boolean
  lastKey: string | null
}

interface ArrayFrame {
  kind: 'array'
  isRecords: boolean
  elementStart: number
}

const QUOTE = 34
const BACKSLASH = 92

/**
 * Scans `text` as `{ …, "<recordsKey>": [ record, … ], … }` (recordsKey set) or as one record
 * (recordsKey null: an NDJSON line). `pause` is awaited about every `sliceChars` characters.
 */
export async function scanJson(text: string, recordsKey: string | null, pause: () => Promise<void> = async () => {}, sliceChars = 1 << 20): Promise<ScanResult> {
  const stack: Array<ObjectFrame | ArrayFrame> = []
  const result: ScanResult = { recordsArray: null, records: [], duplicates: [] }
  let recordsDepth = -1
  let nextPause = sliceChars
  let pos = 0
  const length = text.length
  while (pos < length) {
    if (pos >= nextPause) {
      nextPause = pos + sliceChars
      await pause()
    }
    const code = text.charCodeAt(pos)
    if (code === 32 || code === 10 || code === 13 || code === 9 || code === 58) {
      pos++
      continue
    }
    const top = stack[stack.length - 1]
    if (top?.kind === 'array' && top.isRecords && top.elementStart < 0 && code !== 44 && code !== 93) top.elementStart = pos
    if (code === QUOTE) {
      const end = stringEnd(text, pos)
      if (top?.kind === 'object' && top.expectKey) {
        const raw = text.slice(pos + 1, end)
        const key = raw.includes('\\') ? decodeKey(raw) : raw
        if (top.keys.has(key)) {
          const inRecord = recordsKey === null ? 0 : recordsDepth >= 0 && stack.length > recordsDepth + 1 ? result.records.length : null
          result.duplicates.push({ record: inRecord, key: key.slice(0, 64) })
        }
        top.keys.add(key)
        top.lastKey = key
        top.expectKey = false
      }
      pos = end + 1
      continue
    }
    if (code === 123 /* { */) {
      stack.push({ kind: 'object', keys: new Set(), expectKey: true, lastKey: null })
    } else if (code === 91 /* [ */) {
      const parent = stack[stack.length - 1]
      const isRecords = recordsKey !== null && recordsDepth < 0 && stack.length === 1 && parent?.kind === 'object' && parent.lastKey === recordsKey
      if (isRecords) {
        recordsDepth = stack.length
        result.recordsArray = { start: pos, end: -1 }
      }
      stack.push({ kind: 'array', isRecords, elementStart: -1 })
    } else if (code === 125 /* } */ || code === 93 /* ] */) {
      if (top?.kind === 'array' && top.isRecords) {
        // -2: a comma promised another element (`[a,]`); an empty span makes it an unreadable record.
        if (top.elementStart >= 0 || top.elementStart === -2) result.records.push({ start: top.elementStart >= 0 ? top.elementStart : pos, end: pos })
        result.recordsArray!.end = pos + 1
      }
      stack.pop()
    } else if (code === 44 /* , */) {
      if (top?.kind === 'object') top.expectKey = true
      else if (top?.kind === 'array' && top.isRecords) {
        result.records.push({ start: top.elementStart < 0 ? pos : top.elementStart, end: pos })
        top.elementStart = -2
      }
    }
    pos++
  }
  if (result.recordsArray && result.recordsArray.end < 0) result.recordsArray = null
  return result
}

/** Index of the quote closing the string that opens at `start` (or the text's end). */
function stringEnd(text: string, start: number): number {
  let at = start
  for (;;) {
    at = text.indexOf('"', at + 1)
    if (at < 0) return text.length
    let backslashes = 0
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return at
  }
}

function decodeKey(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string
  } catch {
    return raw
  }
}
