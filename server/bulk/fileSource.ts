import crypto from 'node:crypto'
import { isUtf8 } from 'node:buffer'
import fs from 'node:fs'
import { completeRecords, csvRecord, splitRecord, trailingRecord } from './csvText'
import { xlsxRows } from './xlsx'

/**
 * A bank file as the loader reads it: its header, then its data records as UTF-8 CSV in chunks cut
 * at record boundaries, each knowing the index of its first record (for line numbers). CSV files
 * come in UTF-8 or GBK (detected, or named); Excel files are read through xlsx.ts.
 */
export type Encoding = 'utf-8' | 'gbk'

export interface SourceChunk {
  /** UTF-8 CSV records, no header */
  csv: Buffer
  records: number
  /** 0-based index of the chunk's first data record in the file */
  firstRecord: number
  /** bytes of the file read so far (for progress) */
  bytesRead: number
}

export interface FileSource {
  format: 'csv' | 'xlsx'
  encoding: Encoding
  header: string[]
  totalBytes: number
  chunks(): AsyncGenerator<SourceChunk>
}

export class FileSourceError extends Error {}

const CHUNK_BYTES = 8 << 20
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])

/** sha256 of the file's bytes: the file's identity in the ledger (same bytes, same file). */
export async function hashFile(file: string): Promise<string> {
  return (await scanFile(file)).contentHash
}

/**
 * One read of the whole file: its sha256 and whether all of it is valid UTF-8 (then the loader may
 * hand the file itself to ClickHouse's CSV reader instead of cutting it into checked chunks).
 * Pieces are checked as they come; a character cut at a piece's end is checked with the bytes that
 * complete it at the start of the next.
 */
export async function scanFile(file: string): Promise<{ contentHash: string; utf8: boolean }> {
  const hash = crypto.createHash('sha256')
  let utf8 = true
  let carry = Buffer.alloc(0)
  for await (const read of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
    const piece = read as Buffer
    hash.update(piece)
    if (!utf8) continue
    // The carried lead bytes and the continuation bytes that follow them form one character.
    let start = 0
    while (carry.length > 0 && start < piece.length && start < 3 && (piece[start] & 0xc0) === 0x80) start++
    if (carry.length > 0 && !isUtf8(Buffer.concat([carry, piece.subarray(0, start)]))) utf8 = false
    const end = completeCharactersEnd(piece, start)
    if (utf8 && !isUtf8(piece.subarray(start, end))) utf8 = false
    carry = Buffer.from(piece.subarray(end))
  }
  if (carry.length > 0) utf8 = false
  return { contentHash: hash.digest('hex'), utf8 }
}

/** Where a character cut off at the end of `bytes` starts (bytes.length when none is). */
function completeCharactersEnd(bytes: Buffer, from: number): number {
  for (let back = 1; back <= 3 && bytes.length - back >= from; back++) {
    const byte = bytes[bytes.length - back]
    if ((byte & 0xc0) === 0x80) continue
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return length > back ? bytes.length - back : bytes.length
  }
  return bytes.length
}

/** `chunkBytes`: how much UTF-8 a chunk holds at least before it is cut (default 8 MB; tests use less). */
export async function openFileSource(file: string, options: { encoding?: Encoding; chunkBytes?: number } = {}): Promise<FileSource> {
  const totalBytes = fs.statSync(file).size
  if (totalBytes === 0) throw new FileSourceError(`${file} is empty`)
  const head = Buffer.alloc(Math.min(totalBytes, 1 << 20))
  const fd = fs.openSync(file, 'r')
  try {
    fs.readSync(fd, head, 0, head.length, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return xlsxSource(file, totalBytes)
  return csvSource(file, totalBytes, options.encoding ?? detectEncoding(head), options.chunkBytes ?? CHUNK_BYTES)
}

/**
 * UTF-8 when the file says so (BOM) or its first megabyte is valid UTF-8; GBK otherwise. GBK text
 * of any length is almost never valid UTF-8 (its lead bytes 0x81–0xFE are followed by bytes UTF-8
 * does not allow there), so the guess is safe for Chinese files; `--encoding` overrides it.
 */
export function detectEncoding(head: Buffer): Encoding {
  if (head.subarray(0, 3).equals(UTF8_BOM)) return 'utf-8'
  try {
    // stream: a multi-byte character cut at the end of the sample is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true })
    return 'utf-8'
  } catch {
    return 'gbk'
  }
}

function csvSource(file: string, totalBytes: number, encoding: Encoding, chunkBytes: number): FileSource {
  const source: FileSource = {
    format: 'csv',
    encoding,
    header: [],
    totalBytes,
    async *chunks() {
      const decoder = new TextDecoder(encoding, { fatal: true })
      let pending: Buffer = Buffer.alloc(0)
      let bytesRead = 0
      let firstRecord = 0
      let headerDone = false
      const invalid = () => new FileSourceError(`bytes before offset ${bytesRead} are not valid ${encoding.toUpperCase()}${encoding === 'utf-8' ? ' (a GBK file? try --encoding gbk)' : ''}`)
      // UTF-8 stays bytes (checked per chunk, where records end on whole characters); GBK is decoded.
      const toUtf8 = (bytes: Buffer, last: boolean): Buffer => {
        if (encoding === 'utf-8') return bytes
        try {
          return Buffer.from(decoder.decode(bytes, { stream: !last }), 'utf8')
        } catch {
          throw invalid()
        }
      }
      const checked = (bytes: Buffer): Buffer => {
        if (encoding === 'utf-8' && !isUtf8(bytes)) throw invalid()
        return bytes
      }
      for await (const piece of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
        bytesRead += (piece as Buffer).length
        pending = pending.length === 0 ? toUtf8(piece as Buffer, false) : Buffer.concat([pending, toUtf8(piece as Buffer, false)])
        if (!headerDone) {
          const cut = completeRecords(pending.subarray(0, Math.min(pending.length, 1 << 20)))
          if (cut.records === 0 && pending.length < 1 << 20) continue
          const end = cut.records === 0 ? pending.length : headerEnd(pending)
          source.header = splitRecord(checked(stripBom(pending.subarray(0, end))).toString('utf8')).map((name) => name.trim())
          pending = pending.subarray(end)
          headerDone = true
        }
        // Chunks of about chunkBytes, cut after the last record that ends within them (a piece read
        // from disk can hold several); a record longer than a chunk makes a chunk of its own.
        while (pending.length >= chunkBytes) {
          let { end, records } = completeRecords(pending.subarray(0, chunkBytes))
          if (records === 0) ({ end, records } = completeRecords(pending))
          if (records === 0) break
          yield { csv: checked(pending.subarray(0, end)), records, firstRecord, bytesRead }
          firstRecord += records
          pending = pending.subarray(end)
        }
      }
      toUtf8(Buffer.alloc(0), true)
      if (!headerDone) {
        source.header = splitRecord(checked(stripBom(pending)).toString('utf8')).map((name) => name.trim())
        return
      }
      const { records } = completeRecords(pending)
      const total = records + trailingRecord(pending.subarray(completeRecords(pending).end))
      if (total > 0) yield { csv: checked(pending), records: total, firstRecord, bytesRead }
    },
  }
  return source
}

/** End of the first record (the header): past its newline, quotes respected. */
function headerEnd(bytes: Buffer): number {
  let inQuote = false
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x22) inQuote = !inQuote
    else if (bytes[i] === 0x0a && !inQuote) return i + 1
  }
  return bytes.length
}

function stripBom(bytes: Buffer): Buffer {
  return bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes
}

function xlsxSource(file: string, totalBytes: number): FileSource {
  const workbook = fs.readFileSync(file)
  const batches = xlsxRows(workbook)
  const first = batches.next()
  if (first.done || first.value.length === 0) throw new FileSourceError(`${file}: the first sheet is empty`)
  const [headerRow, ...firstRows] = first.value
  const header = headerRow.map((name) => name.trim())
  return {
    format: 'xlsx',
    encoding: 'utf-8',
    header,
    totalBytes,
    async *chunks() {
      let firstRecord = 0
      // Rows are padded to the header's width: ClickHouse's CSV wants every record complete.
      const toChunk = (rows: string[][]): SourceChunk => {
        const csv = rows.map((row) => csvRecord(header.map((_, i) => row[i] ?? ''))).join('')
        // The sheet is inflated whole up front: progress goes by rows, not bytes (bytesRead 0).
        const chunk = { csv: Buffer.from(csv, 'utf8'), records: rows.length, firstRecord, bytesRead: 0 }
        firstRecord += rows.length
        return chunk
      }
      if (firstRows.length > 0) yield toChunk(firstRows)
      for (const rows of batches) yield toChunk(rows)
    },
  }
}
