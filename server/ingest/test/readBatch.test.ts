import { describe, expect, it } from 'vitest'
import { readReceived, UNREADABLE, type SentBatch } from '../readBatch'

// Keys given twice in a record: counted during the scan, named by a second scan only where the
// count says so (jsonScan.ts). Every shape of record must still have its doubled keys named.
const records = [
  '{"a":1,"b":2}',
  '{"a":1,"a":2}',
  '{"a":1,"\\u0061":2,"b":3,"b":4}',
  '{"x":{"b":1,"b":2},"y":1}',
  '{"x":{"b":1},"b":2}',
  '[{"a":1,"a":2}]',
  '{"a":"k:v","b":"{\\"a\\":1}"}',
  '{"__proto__":1,"__proto__":2}',
  '{"a":[1,{"c":1,"c":2}],"a":3}',
  '"a:b"',
  '{}',
]
const expected = [[], ['a'], ['a', 'b'], ['b'], [], ['a'], [], ['__proto__'], ['c', 'a'], [], []]

async function read(text: string, ndjsonBatchId: string | null): Promise<SentBatch> {
  return readReceived({ bytes: new TextEncoder().encode(text), ndjsonBatchId }, async () => {})
}

function doubled(batch: SentBatch): string[][] {
  return Array.from({ length: batch.count }, (_, index) => [...batch.duplicateKeys(index, batch.record(index))])
}

describe('reading a batch', () => {
  it('names the keys given twice in each record of a JSON body', async () => {
    const batch = await read(`{"batchId":"b","records":[${records.join(', ')}]}`, null)
    expect(batch.count).toBe(records.length)
    expect(doubled(batch)).toEqual(expected)
  })

  it('names them the same way in an NDJSON body', async () => {
    expect(doubled(await read(records.join('\n'), 'b'))).toEqual(expected)
  })

  it('keeps a record list that ends in a comma as an unreadable last record', async () => {
    const batch = await read('{"batchId":"b","records":[{"a":1},]}', null)
    expect(batch.count).toBe(2)
    expect(batch.record(1)).toBe(UNREADABLE)
  })
})
