import { createHash } from 'node:crypto'
import { centsOf } from './fields'
import type { FeedSpec } from './feeds'

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
   * The stored payments as the live hub adds them up (payments feed only): the fields it reads, as
   * stored, so the records need not be parsed a second time.
   */
  facts?: PaymentFactRecord[]
}

/** The stored fields of a payment the live hub's additive figures read (server/live/additive.ts). */
export type PaymentFactRecord = {
  county_code: string
  town_code: string
  village_code: string
  status: string
  amount_paid: string
  pay_time: string
  reissue_of: string
}

/** One checked record, serialized. */
export interface PreparedRow {
  /** JSON.stringify of the schema's output: what the content hash is taken over (see contentHash.ts) */
  objectLine: string
  /** the output's values in column order as a JSON array */
  compactLine: string
  amountCents: number
  time: string
  fact?: PaymentFactRecord
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
    fact: spec.feed === 'payments' ? factOf(record) : undefined,
  }
}

function factOf(record: Record<string, unknown>): PaymentFactRecord {
  const { county_code, town_code, village_code, status, amount_paid, pay_time, reissue_of } = record as unknown as PaymentFactRecord
  return { county_code, town_code, village_code, status, amount_paid, pay_time, reissue_of }
}

export class BatchBuilder {
  private readonly objectLines: string[] = []
  private readonly compactLines: string[] = []
  private readonly facts: PaymentFactRecord[] = []
  private amountCents = 0
  private newestTime = ''
  readonly columns: string[]

  constructor(private readonly spec: FeedSpec) {
    this.columns = columnsOf(spec)
  }

  add(row: PreparedRow): void {
    this.objectLines.push(row.objectLine)
    this.compactLines.push(row.compactLine)
    if (row.fact) this.facts.push(row.fact)
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
      facts: this.spec.feed === 'payments' ? this.facts : undefined,
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
