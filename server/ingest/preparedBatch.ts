import { createHash } from 'node:crypto'
import { centsOf } from './fields'
import type { FeedSpec } from './feeds'
import { factOfRecord, PaymentSummer, type PaymentFact, type PaymentSums } from '../live/paymentSums'

/**
 * A validated batch as it is stored: the INSERT body (JSONCompactEachRow, one array per record in
 * the schema's column order, batch_id last) and what the ledger keeps about it. Built row by row
 * while the records are checked; each row's two serializations (the canonical JSON object line that
 * is hashed, and the compact array that is inserted) are written once, never re-derived.
 */
export interface PreparedBatch {
  rows: number
  contentHash: string
  amountCents: number
  /** 'YYYY-MM-DD HH:mm:ss' of the newest record */
  newestTime: string
  /** Columns of `body`, in order (the feed's columns, then batch_id). */
  columns: string[]
  /** JSONCompactEachRow rows, UTF-8, with the batch id: one INSERT. Its own ArrayBuffer (transferable). */
  body: Uint8Array
  /**
   * The stored payments summed as the live hub adds them up (payments feed only; paymentSums.ts):
   * a group per village, month and status rather than an object per record, so the event loop
   * neither parses the records again nor walks them.
   */
  payments?: PaymentSums
}

/** One checked record, serialized. */
export interface PreparedRow {
  /** JSON.stringify of the schema's output: what the content hash is taken over (see contentHash.ts) */
  objectLine: string
  /** the output's values in column order as a JSON array */
  compactLine: string
  amountCents: number
  time: string
  /** payments: what the live hub's sums read (undefined for other feeds) */
  fact?: PaymentFact
}

/** The columns a feed's records fill, in the schema's order (= the order of its output keys). */
export function columnsOf(spec: FeedSpec): string[] {
  return Object.keys((spec.record as unknown as { def: { shape: Record<string, unknown> } }).def.shape)
}

/** A record the feed schema has output, serialized as the fused validators serialize theirs. */
export function rowOfParsed(spec: FeedSpec, columns: readonly string[], record: Record<string, unknown>): PreparedRow {
  return {
    objectLine: JSON.stringify(record),
    compactLine: JSON.stringify(columns.map((column) => record[column])),
    amountCents: spec.amountColumn ? centsOf(record[spec.amountColumn] as string) : 0,
    time: spec.timeOf(record),
    fact: spec.feed === 'payments' ? factOfRecord(record) : undefined,
  }
}

export class BatchBuilder {
  private readonly objectLines: string[] = []
  private readonly compactLines: string[] = []
  private readonly payments = new PaymentSummer()
  /** a payments record whose fact could not be read: the hub then reads the tables */
  private missingFact = false
  private amountCents = 0
  private newestTime = ''
  readonly columns: string[]

  constructor(private readonly spec: FeedSpec) {
    this.columns = columnsOf(spec)
  }

  add(row: PreparedRow): void {
    this.objectLines.push(row.objectLine)
    this.compactLines.push(row.compactLine)
    if (row.fact) this.payments.add(row.fact)
    else if (this.spec.feed === 'payments') this.missingFact = true
    this.amountCents += row.amountCents
    if (row.time > this.newestTime) this.newestTime = row.time
  }

  addParsed(record: Record<string, unknown>): void {
    this.add(rowOfParsed(this.spec, this.columns, record))
  }

  finish(batchId: string): PreparedBatch {
    // Each compact row `[…]` gets the batch id as its last value: `[…,"<batchId>"]`.
    const withBatch = `,${JSON.stringify(batchId)}]\n`
    let text = ''
    for (const line of this.compactLines) text += line.slice(0, -1) + withBatch
    return {
      rows: this.objectLines.length,
      contentHash: hashOfLines(this.objectLines),
      amountCents: this.amountCents,
      newestTime: this.newestTime,
      columns: [...this.columns, 'batch_id'],
      body: new TextEncoder().encode(text),
      payments: this.spec.feed === 'payments' && !this.missingFact ? this.payments.finish() : undefined,
    }
  }
}

export function prepareRecords(spec: FeedSpec, batchId: string, records: readonly Record<string, unknown>[]): PreparedBatch {
  const builder = new BatchBuilder(spec)
  for (const record of records) builder.addParsed(record)
  return builder.finish(batchId)
}

/** The same value as contentHash(records) (see contentHash.ts), from the records' JSON lines. */
function hashOfLines(lines: readonly string[]): string {
  // One update over the joined text: the lines end in '\n' each, as contentHash.ts feeds them.
  const sorted = [...lines].sort()
  return createHash('sha256').update(sorted.length ? `${sorted.join('\n')}\n` : '').digest('hex')
}
