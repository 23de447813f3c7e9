import { isUtf8 } from 'node:buffer'
import type { IncomingMessage } from 'node:http'
import { HttpError } from '../http/router'
import { duplicateKeysOf, scanJson, type Span } from './jsonScan'

/** A batch as sent, records already parsed (tests and the throughput bench build these). */
export interface RawBatch {
  batchId: string
  records: unknown[]
  /** Lines of an NDJSON body that were not JSON, by record index. */
  unreadable: number[]
  /** Keys given twice in one record, by record index. */
  duplicates?: Array<{ index: number; key: string }>
}

/**
 * A batch as read from a request: its text and where each record lies in it. Records are parsed
 * one at a time while they are validated, so a body is never held as one big tree of objects.
 */
export interface SentBatch {
  batchId: string
  count: number
  /** The record's value, or UNREADABLE when its text is not JSON. */
  record(index: number): unknown
  /** Keys given twice in the record (`parsed`: its value from `record`), in the order they appear. */
  duplicateKeys(index: number, parsed: unknown): readonly string[]
}

export const UNREADABLE = Symbol('unreadable')

/** Batch ids name a delivery in the sender's system; kept to characters safe in logs and URLs. */
const BATCH_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/

/** A request body as received: its bytes (not yet decoded) and, for NDJSON, the batch id from the request. */
export interface ReceivedBody {
  /** The body's bytes in an ArrayBuffer of their own (so they can be handed to a worker without a copy). */
  bytes: Uint8Array
  /** NDJSON: the batch id from X-Batch-Id or ?batchId= (already checked); null for a JSON envelope. */
  ndjsonBatchId: string | null
}

/**
 * Receives `{ batchId, records }` (application/json) or one record per line (application/x-ndjson,
 * batch id from X-Batch-Id or ?batchId=). Content type, charset and an NDJSON batch id are checked
 * before the body is read, the size while it arrives. The bytes are decoded and read by
 * `readReceived` (in an ingest worker, off the event loop).
 */
export async function receiveBatch(req: IncomingMessage, url: URL, maxBytes: number): Promise<ReceivedBody> {
  const [mediaPart, ...parameters] = (req.headers['content-type'] ?? '').split(';')
  const mediaType = mediaPart.trim().toLowerCase()
  const isJson = mediaType === 'application/json'
  const isNdjson = mediaType === 'application/x-ndjson' || mediaType === 'application/ndjson'
  if (!isJson && !isNdjson) throw new HttpError(415, 'send application/json ({ batchId, records }) or application/x-ndjson (one record per line)')
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '')
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(415, `only UTF-8 bodies are accepted (charset=${charset.slice(0, 20)} declared); convert the export to UTF-8`)
  }
  if (isNdjson) {
    const header = req.headers['x-batch-id']
    const batchId = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('batchId') ?? ''
    requireBatchId(batchId)
    return { bytes: await readBodyBytes(req, maxBytes), ndjsonBatchId: batchId }
  }
  return { bytes: await readBodyBytes(req, maxBytes), ndjsonBatchId: null }
}

/**
 * The text of a received body, read into a batch. It must be valid UTF-8 (GBK and other legacy
 * encodings are refused, not guessed: a wrong guess would store garbled names); a BOM is ignored.
 */
export async function readReceived(body: ReceivedBody, pause: () => Promise<void>): Promise<SentBatch> {
  const text = decodeUtf8(body.bytes)
  return body.ndjsonBatchId === null ? readJsonBatch(text, pause) : readNdjson(body.ndjsonBatchId, text, pause)
}

function decodeUtf8(bytes: Uint8Array): string {
  // The usual case without TextDecoder: checking and decoding through Buffer (simdutf) costs a
  // fraction of a fatal decode. A body that is not UTF-8 goes to the decoder, which names the fault.
  if (isUtf8(bytes)) {
    let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
    // TextDecoder drops a leading byte-order mark, and the line below one more: so does this.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  }
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let text: string
  try {
    text = decoder.decode(bytes, { stream: true })
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8 (legacy encodings such as GBK are not accepted)')
  }
  try {
    text += decoder.decode()
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8 (it ends inside a character)')
  }
  // A UTF-8 byte-order mark some exporters write is not part of the JSON.
  return text.replace(/^\uFEFF/, '')
}

async function readJsonBatch(text: string, pause: () => Promise<void>): Promise<SentBatch> {
  const scan = await scanJson(text, 'records', pause, 1 << 16)
  const doubled = scan.duplicates.find((d) => d.record === null)
  if (doubled) throw new HttpError(400, `body field ${doubled.key} is given twice`)
  const array = scan.recordsArray
  let body: unknown
  try {
    body = JSON.parse(array ? text.slice(0, array.start) + '[]' + text.slice(array.end) : text)
  } catch {
    throw new HttpError(400, 'body is not valid JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'body must be an object { batchId, records }')
  const { batchId, records, ...rest } = body as Record<string, unknown>
  if (Object.keys(rest).length) throw new HttpError(400, `unknown body fields: ${Object.keys(rest).slice(0, 5).join(', ')}`)
  if (typeof batchId !== 'string') throw new HttpError(400, 'batchId must be a string')
  requireBatchId(batchId)
  if (!Array.isArray(records) || !array) throw new HttpError(400, 'records must be an array')
  const { records: spans, recordKeys } = scan
  return lazyBatch(batchId, text, spans, (index, parsed) => duplicateKeysOf(text.slice(spans[index].start, spans[index].end), recordKeys[index], parsed))
}

async function readNdjson(batchId: string, text: string, pause: () => Promise<void>): Promise<SentBatch> {
  const spans: Span[] = []
  const duplicates = new Map<number, string[]>()
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    if (text.slice(start, end).trim() !== '') {
      const scan = await scanJson(text.slice(start, end), null)
      if (scan.duplicates.length) duplicates.set(spans.length, scan.duplicates.map((d) => d.key))
      spans.push({ start, end })
      if (spans.length % 256 === 0) await pause()
    }
    start = end + 1
  }
  return lazyBatch(batchId, text, spans, (index) => duplicates.get(index) ?? [])
}

function lazyBatch(batchId: string, text: string, spans: Span[], duplicateKeys: SentBatch['duplicateKeys']): SentBatch {
  return {
    batchId,
    count: spans.length,
    duplicateKeys,
    record(index) {
      try {
        return JSON.parse(text.slice(spans[index].start, spans[index].end))
      } catch {
        return UNREADABLE
      }
    },
  }
}

/** The records of a parsed batch behind the same interface (tests and benches). */
export function sentBatchOf(batch: RawBatch): SentBatch {
  const unreadable = new Set(batch.unreadable)
  const duplicates = new Map<number, string[]>()
  for (const { index, key } of batch.duplicates ?? []) duplicates.set(index, [...(duplicates.get(index) ?? []), key])
  return {
    batchId: batch.batchId,
    count: batch.records.length,
    duplicateKeys: (index) => duplicates.get(index) ?? [],
    record: (index) => (unreadable.has(index) ? UNREADABLE : batch.records[index]),
  }
}

function requireBatchId(batchId: string): void {
  if (!BATCH_ID.test(batchId)) throw new HttpError(400, 'batchId must be 1–128 letters, digits or . _ : - (starting with a letter or digit)')
}

/**
 * The body's bytes, refused as soon as they pass `maxBytes` (declared or streamed, chunked too)
 * with a 413 the sender can read: the rest of the body is left unread and the connection closed
 * after the answer, never reset before it. Nothing is decoded here: that is the worker's job.
 */
async function readBodyBytes(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > maxBytes) throw tooLarge(`body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        req.off('data', onData)
        req.pause()
        reject(tooLarge(`body exceeds the limit of ${maxBytes} bytes`))
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.once('end', () => resolve())
    req.once('error', reject)
  })
  // One copy into a buffer of its own: transferable to a worker (pooled chunks are not).
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.length
  }
  return bytes
}

export class BodyTooLarge extends HttpError {}

function tooLarge(message: string): HttpError {
  return new BodyTooLarge(413, message)
}
