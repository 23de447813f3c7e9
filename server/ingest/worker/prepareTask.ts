import { HttpError } from '../../http/router'
import { feedByName } from '../feeds'
import type { PreparedBatch } from '../preparedBatch'
import { readReceived, type ReceivedBody } from '../readBatch'
import { prepareBatch } from '../validateBatch'

/**
 * What an ingest worker does with one request body: decode, read, check every record and build the
 * INSERT body, content hash and ledger figures. Pure and self-contained (the same function runs in
 * the main thread when workers are off), so the contract is one piece of code wherever it runs.
 */
export interface PrepareRequest {
  feed: string
  body: ReceivedBody
}

export type PrepareResult =
  | { ok: true; batchId: string; prepared: PreparedBatch }
  | { ok: false; status: number; message: string; details?: unknown }

export async function prepareTask(request: PrepareRequest, pause: () => Promise<void>): Promise<PrepareResult> {
  try {
    const spec = feedByName(request.feed)
    if (!spec) throw new HttpError(404, `unknown feed ${request.feed}`)
    const batch = await readReceived(request.body, pause)
    return { ok: true, batchId: batch.batchId, prepared: await prepareBatch(spec, batch, pause) }
  } catch (error) {
    if (error instanceof HttpError) return { ok: false, status: error.status, message: error.message, details: error.details }
    return { ok: false, status: 500, message: `ingest worker failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` }
  }
}
