import type { z } from 'zod'
import { HttpError } from '../http/router'
import type { FeedSpec } from './feeds'
import { ingestLimits } from './limits'
import type { RawBatch } from './readBatch'

export interface RecordError {
  /** position of the record in the batch (0-based) */
  index: number
  /** column name, '' for the record as a whole */
  field: string
  message: string
}

/**
 * Parses every record of the batch with the feed's strict schema. One bad record rejects the whole
 * batch (400) with all problems listed up to a cap, so the sender can fix them in one round.
 */
export function validateBatch<R extends Record<string, unknown>>(spec: FeedSpec<R>, batch: RawBatch): R[] {
  if (batch.records.length === 0) throw new HttpError(400, 'batch has no records')
  const unreadable = new Set(batch.unreadable)
  const valid: R[] = []
  const errors: RecordError[] = []
  let errorCount = 0
  const report = (error: RecordError) => {
    errorCount++
    if (errors.length < ingestLimits.maxReportedErrors) errors.push(error)
  }
  batch.records.forEach((raw, index) => {
    if (unreadable.has(index)) return report({ index, field: '', message: 'line is not valid JSON' })
    const parsed = spec.record.safeParse(raw)
    if (parsed.success) valid.push(parsed.data)
    else for (const issue of parsed.error.issues) for (const error of describeIssue(index, raw, issue)) report(error)
  })
  if (errorCount > 0) {
    const shown = errorCount > errors.length ? ` (first ${errors.length} listed)` : ''
    throw new HttpError(400, `batch rejected: ${errorCount} problems in ${spec.feed} records${shown}; nothing was stored`, errors)
  }
  return valid
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
