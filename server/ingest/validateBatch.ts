import type { z } from 'zod'
import { HttpError } from '../http/router'
import type { FeedSpec } from './feeds'
import { ingestLimits } from './limits'
import { BatchBuilder, type PreparedBatch } from './preparedBatch'
import { sentBatchOf, UNREADABLE, type RawBatch, type SentBatch } from './readBatch'

export interface RecordError {
  /** position of the record in the batch (0-based) */
  index: number
  /** column name, '' for the record as a whole */
  field: string
  message: string
}

/** Records checked between two looks at the clock (see pacer.ts). */
const RECORDS_PER_STEP = 64

/**
 * Parses every record of the batch with the feed's strict schema. One bad record rejects the whole
 * batch (400) with its problems listed up to a cap, so the sender can fix them in rounds. At the
 * cap the check stops: a body of 100k broken records costs no more than one of 100.
 */
function* checkRecords(spec: FeedSpec, batch: SentBatch, accept: (record: Record<string, unknown>) => void): Generator<void, void> {
  if (batch.count === 0) throw new HttpError(400, 'batch has no records')
  const errors: RecordError[] = []
  const cap = ingestLimits.maxReportedErrors
  const duplicates = new Map<number, string[]>()
  for (const { index, key } of batch.duplicates) duplicates.set(index, [...(duplicates.get(index) ?? []), key])
  for (let index = 0; index < batch.count && errors.length < cap; index++) {
    if (index % RECORDS_PER_STEP === 0 && index > 0) yield
    const raw = batch.record(index)
    if (raw === UNREADABLE) {
      errors.push({ index, field: '', message: 'record is not valid JSON' })
      continue
    }
    for (const key of duplicates.get(index) ?? []) errors.push({ index, field: key, message: 'is given twice in the record' })
    const parsed = spec.record.safeParse(raw)
    if (!parsed.success) for (const issue of parsed.error.issues) errors.push(...describeIssue(index, raw, issue))
    else if (errors.length === 0) accept(parsed.data)
  }
  if (errors.length > 0) {
    const shown = errors.slice(0, cap)
    const count = errors.length >= cap ? `at least ${shown.length} problems (checking stopped there)` : `${errors.length} problems`
    throw new HttpError(400, `batch rejected: ${count} in ${spec.feed} records; nothing was stored`, shown)
  }
}

/** Checks and normalizes a parsed batch in one go (tests, benches). */
export function validateBatch<R extends Record<string, unknown>>(spec: FeedSpec<R>, batch: RawBatch): R[] {
  const valid: R[] = []
  const steps = checkRecords(spec as unknown as FeedSpec, sentBatchOf(batch), (record) => valid.push(record as R))
  while (!steps.next().done);
  return valid
}

/** Checks a batch read from a request and folds it into what is stored, pausing for the event loop. */
export async function prepareBatch(spec: FeedSpec, batch: SentBatch, pause: () => Promise<void>): Promise<PreparedBatch> {
  const builder = new BatchBuilder(spec)
  const steps = checkRecords(spec, batch, (record) => builder.add(record))
  while (!steps.next().done) await pause()
  await pause()
  return builder.finish()
}

/** Zod's own messages name types and rules, never the value; an unknown key is named by its key. */
function describeIssue(index: number, raw: unknown, issue: z.core.$ZodIssue): RecordError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ index, field: key.slice(0, 64), message: 'unknown field' }))
  }
  if (issue.code === 'invalid_type' && issue.path.length === 0) {
    return [{ index, field: '', message: 'record must be a JSON object' }]
  }
  if (issue.path.length === 1 && !Object.hasOwn(raw as object, issue.path[0] as PropertyKey)) {
    return [{ index, field: String(issue.path[0]), message: 'is required' }]
  }
  return [{ index, field: issue.path.join('.'), message: issue.message }]
}
