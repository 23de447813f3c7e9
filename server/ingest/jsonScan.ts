/**
 * One pass over a JSON text that builds no values. It finds where each element of the batch's
 * record list starts and ends (so records are parsed one by one, with pauses for the event loop,
 * instead of one JSON.parse of up to 64 MB), and every key that appears twice in one object
 * (JSON.parse silently keeps the last one, so a record could say two things about one column).
 * Syntax is not checked here: JSON.parse of the envelope and of each record does that.
 *
 * Inside the record list keys are only counted, not collected: a flat record whose parsed object
 * has as many keys as its text names none twice, and only a record where that does not hold is
 * scanned again key by key (`duplicateKeysOf`). Collecting 40 keys into a set per record cost more
 * than parsing it.
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
  /**
   * Keys given twice: every one outside the record list (the envelope, or the one record of an
   * NDJSON line); none inside it (see `recordKeys`).
   */
  duplicates: DuplicateKey[]
  /** Per record of the list: how many keys its text names, or NESTED_OBJECTS when it holds objects within. */
  recordKeys: number[]
}

/** A record holding objects within: its keys are not counted, it is scanned key by key. */
export const NESTED_OBJECTS = -1

interface ObjectFrame {
  kind: 'object'
  keys: Set<string>
  expectKey: boolean
  lastKey: string | null
}

interface ArrayFrame {
  kind: 'array'
}

const QUOTE = 34
const BACKSLASH = 92

/**
 * Scans `text` as `{ …, "<recordsKey>": [ record, … ], … }` (recordsKey set) or as one record
 * (recordsKey null: an NDJSON line). `pause` is awaited about every `sliceChars` characters.
 */
export async function scanJson(text: string, recordsKey: string | null, pause: () => Promise<void> = async () => {}, sliceChars = 1 << 20): Promise<ScanResult> {
  const stack: Array<ObjectFrame | ArrayFrame> = []
  const result: ScanResult = { recordsArray: null, records: [], duplicates: [], recordKeys: [] }
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
        pos = await scanRecords(text, pos + 1, result, pause, sliceChars)
        if (pos < length) result.recordsArray.end = pos + 1
        pos++
        continue
      }
      // the record list itself went to scanRecords above: any other array only nests
      stack.push({ kind: 'array' })
    } else if (code === 125 /* } */ || code === 93 /* ] */) {
      stack.pop()
    } else if (code === 44 /* , */) {
      if (top?.kind === 'object') top.expectKey = true
    }
    pos++
  }
  if (result.recordsArray && result.recordsArray.end < 0) result.recordsArray = null
  return result
}

/**
 * The elements of the record list, from `start` (after its `[`) to its closing bracket, whose
 * position is returned (the text's length when it is not closed). Spans are cut as the general scan
 * above cut them (a closing bracket of either kind closes the innermost open one); keys are counted
 * by their colons, which in JSON follow keys only.
 */
async function scanRecords(text: string, start: number, result: ScanResult, pause: () => Promise<void>, sliceChars: number): Promise<number> {
  const length = text.length
  let nextPause = start + sliceChars
  let depth = 0
  let elementStart = -1
  let keys = 0
  let nested = false
  const endElement = (at: number) => {
    result.records.push({ start: elementStart >= 0 ? elementStart : at, end: at })
    result.recordKeys.push(nested ? NESTED_OBJECTS : keys)
    keys = 0
    nested = false
  }
  let pos = start
  while (pos < length) {
    if (pos >= nextPause) {
      nextPause = pos + sliceChars
      await pause()
    }
    const code = text.charCodeAt(pos)
    if (code === 32 || code === 10 || code === 13 || code === 9) {
      pos++
      continue
    }
    if (code === 58 /* : */) {
      keys++
      pos++
      continue
    }
    if (depth === 0 && elementStart < 0 && code !== 44 && code !== 93) elementStart = pos
    if (code === QUOTE) {
      pos = stringEnd(text, pos) + 1
      continue
    }
    if (code === 123 /* { */ || code === 91 /* [ */) {
      depth++
      if (code === 123 && depth > 1) nested = true
    } else if (code === 125 /* } */ || code === 93 /* ] */) {
      if (depth === 0) {
        // -2: a comma promised another element (`[a,]`); an empty span makes it an unreadable record.
        if (elementStart >= 0 || elementStart === -2) endElement(pos)
        return pos
      }
      depth--
    } else if (code === 44 /* , */ && depth === 0) {
      endElement(pos)
      elementStart = -2
    }
    pos++
  }
  return pos
}

/**
 * The keys given twice in one record of the list (a JSON value), in the order the general scan
 * reports them; `parsed` is its JSON.parse. Only a record whose key count does not match its parsed
 * object, or that holds objects within, is scanned again.
 */
export function duplicateKeysOf(text: string, keyCount: number, parsed: unknown): string[] {
  if (keyCount === 0) return []
  if (keyCount > 0 && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.keys(parsed).length === keyCount) return []
  return keysGivenTwice(text)
}

/** Every key given twice in any object of the text, as the general scan finds them. */
function keysGivenTwice(text: string): string[] {
  const stack: Array<Set<string> | null> = []
  const keys: string[] = []
  let expectKey = false
  let pos = 0
  while (pos < text.length) {
    const code = text.charCodeAt(pos)
    if (code === QUOTE) {
      const end = stringEnd(text, pos)
      const top = stack[stack.length - 1]
      if (top && expectKey) {
        const raw = text.slice(pos + 1, end)
        const key = raw.includes('\\') ? decodeKey(raw) : raw
        if (top.has(key)) keys.push(key.slice(0, 64))
        top.add(key)
        expectKey = false
      }
      pos = end + 1
      continue
    }
    if (code === 123 /* { */) {
      stack.push(new Set())
      expectKey = true
    } else if (code === 91 /* [ */) {
      stack.push(null)
    } else if (code === 125 /* } */ || code === 93 /* ] */) {
      stack.pop()
    } else if (code === 44 /* , */) {
      expectKey = stack[stack.length - 1] !== null && stack.length > 0
    }
    pos++
  }
  return keys
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
