import type { z } from 'zod'
import { HttpError } from '../http/router'
import type { FeedSpec } from './feeds'
import { fusedPayment, type FusedPayment } from './fused/paymentRow'
import { centsOf } from './fields'
import { ingestLimits } from './limits'
import { BatchBuilder, columnsOf, rowOfParsed, type PreparedBatch, type PreparedRow } from './preparedBatch'
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
 * One record checked and serialized in one pass: the payments feed (the large one) through its
 * fused validator; the others, and every record the fused validator refuses, through the feed's
 * schema, which then names the problems. So messages are always the schema's, and a valid payment
 * never builds the schema's output object.
 */
function checkOne(spec: FeedSpec, columns: readonly string[], raw: unknown): { row: PreparedRow } | { issues: z.core.$ZodIssue[] } {
  if (spec.feed === 'payments') {
    const fused = fusedPayment(raw)
    if (fused) return { row: rowOfFused(fused) }
  }
  const parsed = spec.record.safeParse(raw)
  if (!parsed.success) return { issues: parsed.error.issues }
  return { row: rowOfParsed(spec, columns, parsed.data) }
}

function rowOfFused(fused: FusedPayment): PreparedRow {
  const amountCents = centsOf(fused.amountPaid)
  return {
    objectLine: fused.objectLine,
    values: fused.values,
    amountCents,
    time: fused.payTime,
    fact: {
      county: fused.county,
      town: fused.town,
      village: fused.village,
      status: fused.status,
      cents: amountCents,
      payTime: fused.payTime,
      reissue: fused.reissueOf !== '',
    },
  }
}

/**
 * Checks every record of the batch against the feed's strict schema. One bad record rejects the
 * whole batch (400) with its problems listed up to a cap, so the sender can fix them in rounds. At
 * the cap the check stops: a body of 100k broken records costs no more than one of 100.
 */
function* checkRecords(spec: FeedSpec, batch: SentBatch, accept: (row: PreparedRow) => void): Generator<void, void> {
  if (batch.count === 0) throw new HttpError(400, 'batch has no records')
  const columns = columnsOf(spec)
  const errors: RecordError[] = []
  const cap = ingestLimits.maxReportedErrors
  for (let index = 0; index < batch.count && errors.length < cap; index++) {
    if (index % RECORDS_PER_STEP === 0 && index > 0) yield
    const raw = batch.record(index)
    if (raw === UNREADABLE) {
      errors.push({ index, field: '', message: 'record is not valid JSON' })
      continue
    }
    for (const key of batch.duplicateKeys(index, raw)) errors.push({ index, field: key, message: 'is given twice in the record' })
    const checked = checkOne(spec, columns, raw)
    if ('issues' in checked) for (const issue of checked.issues) errors.push(...describeIssue(index, raw, issue))
    else if (errors.length === 0) accept(checked.row)
  }
  if (errors.length > 0) {
    const shown = errors.slice(0, cap)
    const count = errors.length >= cap ? `at least ${shown.length} problems (checking stopped there)` : `${errors.length} problems`
    throw new HttpError(400, `batch rejected: ${count} in ${spec.feed} records; nothing was stored`, shown)
  }
}

/** The problems the feed's schema finds in one record, as a 400 lists them (tests compare with this). */
export function schemaProblems(spec: FeedSpec, index: number, raw: unknown): RecordError[] {
  const parsed = spec.record.safeParse(raw)
  return parsed.success ? [] : parsed.error.issues.flatMap((issue) => describeIssue(index, raw, issue))
}

/** Checks and normalizes a parsed batch in one go (tests, benches): the records as the schema outputs them. */
export function validateBatch<R extends Record<string, unknown>>(spec: FeedSpec<R>, batch: RawBatch): R[] {
  const valid: R[] = []
  const steps = checkRecords(spec as unknown as FeedSpec, sentBatchOf(batch), (row) => valid.push(JSON.parse(row.objectLine) as R))
  while (!steps.next().done);
  return valid
}

/** Checks a batch and folds it into what is stored; `pause` gives the event loop turns (a no-op in a worker). */
export async function prepareBatch(spec: FeedSpec, batch: SentBatch, pause: () => Promise<void>): Promise<PreparedBatch> {
  const builder = new BatchBuilder(spec, batch.batchId)
  const steps = checkRecords(spec, batch, (row) => builder.add(row))
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
