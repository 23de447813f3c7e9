import type { IncomingMessage } from 'node:http'
import { HttpError, readBody } from '../http/router'

/** A batch as sent, before its records are validated. */
export interface RawBatch {
  batchId: string
  records: unknown[]
  /** Lines of an NDJSON body that were not JSON, by record index. */
  unreadable: number[]
}

/** Batch ids name a delivery in the sender's system; kept to characters safe in logs and URLs. */
const BATCH_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/

/**
 * Reads `{ batchId, records }` (application/json) or one record per line (application/x-ndjson,
 * batch id from X-Batch-Id or ?batchId=). The content type is checked before the body is read and
 * the size limit before it is parsed.
 */
export async function readBatch(req: IncomingMessage, url: URL, maxBytes: number): Promise<RawBatch> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (mediaType === 'application/json') return readJsonBatch(await bodyText(req, maxBytes))
  if (mediaType === 'application/x-ndjson' || mediaType === 'application/ndjson') {
    const header = req.headers['x-batch-id']
    const batchId = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('batchId') ?? ''
    requireBatchId(batchId)
    return { batchId, ...readNdjsonRecords(await bodyText(req, maxBytes)) }
  }
  throw new HttpError(415, 'send application/json ({ batchId, records }) or application/x-ndjson (one record per line)')
}

function readJsonBatch(text: string): RawBatch {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new HttpError(400, 'body is not valid JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'body must be an object { batchId, records }')
  const { batchId, records, ...rest } = body as Record<string, unknown>
  if (Object.keys(rest).length) throw new HttpError(400, `unknown body fields: ${Object.keys(rest).slice(0, 5).join(', ')}`)
  if (typeof batchId !== 'string') throw new HttpError(400, 'batchId must be a string')
  requireBatchId(batchId)
  if (!Array.isArray(records)) throw new HttpError(400, 'records must be an array')
  return { batchId, records, unreadable: [] }
}

function readNdjsonRecords(text: string): Omit<RawBatch, 'batchId'> {
  const records: unknown[] = []
  const unreadable: number[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      records.push(JSON.parse(line))
    } catch {
      unreadable.push(records.length)
      records.push(undefined)
    }
  }
  return { records, unreadable }
}

function requireBatchId(batchId: string): void {
  if (!BATCH_ID.test(batchId)) throw new HttpError(400, 'batchId must be 1–128 letters, digits or . _ : - (starting with a letter or digit)')
}

async function bodyText(req: IncomingMessage, maxBytes: number): Promise<string> {
  // A UTF-8 byte-order mark some exporters write is not part of the JSON.
  return (await readBody(req, maxBytes)).toString('utf8').replace(/^\uFEFF/, '')
}
