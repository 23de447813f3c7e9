import { createHash } from 'node:crypto'
import { centsOf } from './fields'
import type { FeedSpec } from './feeds'

/**
 * A validated batch as it is stored: one normalized JSON line per record (schema key order) and
 * what the ledger keeps about it. Records are folded in one at a time, so a batch costs about its
 * own size in memory rather than a tree of objects per record.
 */
export interface PreparedBatch {
  lines: string[]
  rows: number
  contentHash: string
  amountCents: number
  /** 'YYYY-MM-DD HH:mm:ss' of the newest record */
  newestTime: string
}

export class BatchBuilder {
  private readonly lines: string[] = []
  private amountCents = 0
  private newestTime = ''

  constructor(private readonly spec: FeedSpec) {}

  add(record: Record<string, unknown>): void {
    this.lines.push(JSON.stringify(record))
    if (this.spec.amountColumn) this.amountCents += centsOf(record[this.spec.amountColumn] as string)
    const time = this.spec.timeOf(record)
    if (time > this.newestTime) this.newestTime = time
  }

  finish(): PreparedBatch {
    return { lines: this.lines, rows: this.lines.length, contentHash: hashOfLines(this.lines), amountCents: this.amountCents, newestTime: this.newestTime }
  }
}

export function prepareRecords(spec: FeedSpec, records: readonly Record<string, unknown>[]): PreparedBatch {
  const builder = new BatchBuilder(spec)
  for (const record of records) builder.add(record)
  return builder.finish()
}

/** The same value as contentHash(records) (see contentHash.ts), from the records' JSON lines. */
function hashOfLines(lines: readonly string[]): string {
  const hash = createHash('sha256')
  for (const line of [...lines].sort()) hash.update(line).update('\n')
  return hash.digest('hex')
}
