import { describe, expect, it } from 'vitest'
import { HttpError } from '../../http/router'
import { contentHash } from '../contentHash'
import { feedByName } from '../feeds'
import { ingestLimits } from '../limits'
import { validateBatch } from '../validateBatch'
import { makeIdNumber, paymentBatch, paymentFixture, withWrongCheckCharacter } from './fixtures'

const payments = feedByName('payments')!

function rejection(records: unknown[]): HttpError {
  try {
    validateBatch(payments, { batchId: 'b', records, unreadable: [] })
  } catch (error) {
    if (error instanceof HttpError) return error
    throw error
  }
  throw new Error('batch was accepted')
}

describe('validateBatch', () => {
  it('normalizes amounts, omitted approval times and hit lists', () => {
    const [record] = validateBatch(payments, { batchId: 'b', records: [paymentFixture(1, { amount_paid: 12.5, city_managed_at: undefined })], unreadable: [] })
    expect(record.amount_paid).toBe('12.50')
    expect(record.city_managed_at).toBeNull()
    expect(record.prereview_hits).toEqual([])
  })

  it('lists problems up to the cap and stops checking there', () => {
    const records = Array.from({ length: 150 }, (_, n) => paymentFixture(n, { id_number: withWrongCheckCharacter(makeIdNumber(n)) }))
    const error = rejection(records)
    expect(error.status).toBe(400)
    expect(error.details).toHaveLength(ingestLimits.maxReportedErrors)
    expect(error.message).toContain(`at least ${ingestLimits.maxReportedErrors} problems`)
    // The last record checked is the one that reached the cap; later ones were never looked at.
    expect((error.details as Array<{ index: number }>).at(-1)!.index).toBe(ingestLimits.maxReportedErrors - 1)
  })

  it('refuses an empty batch and records that are not objects', () => {
    expect(rejection([]).message).toMatch(/no records/)
    expect(rejection([42]).details).toEqual([{ index: 0, field: '', message: 'record must be a JSON object' }])
  })

  it('keeps an optional ID empty but checks it when given', () => {
    expect(() => validateBatch(payments, { batchId: 'b', records: [paymentFixture(1, { proxy_holder_id: '' })], unreadable: [] })).not.toThrow()
    const error = rejection([paymentFixture(1, { proxy_holder_id: withWrongCheckCharacter(makeIdNumber(9)) })])
    expect(error.details).toEqual([{ index: 0, field: 'proxy_holder_id', message: 'checksum digit wrong' }])
  })
})

describe('contentHash', () => {
  const parse = (records: unknown[]) => validateBatch(payments, { batchId: 'b', records, unreadable: [] })

  it('is the same for the same rows in any order and spelling, different for other content', () => {
    const records = paymentBatch(0, 5)
    const respelled = [...records].reverse().map((r) => ({ ...r, amount_paid: String(r.amount_paid), town_reviewed_at: undefined }))
    expect(contentHash(parse(respelled))).toBe(contentHash(parse(records)))
    const changed = records.map((r, i) => (i === 2 ? { ...r, status: '失败' } : r))
    expect(contentHash(parse(changed))).not.toBe(contentHash(parse(records)))
    expect(contentHash(parse(records.slice(1)))).not.toBe(contentHash(parse(records)))
  })
})
