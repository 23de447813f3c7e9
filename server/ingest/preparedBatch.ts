import { createHash } from 'node:crypto'
import { centsOf } from './fields'
import type { FeedSpec } from './feeds'
import { factOfRecord, PaymentSummer, type PaymentFact, type PaymentSums } from './paymentSums'
import { RowBinaryOut, rowEncoder } from './rowBinary'

/**
 * A validated batch as it is stored: the INSERT body (one row per record in the schema's column
 * order, batch_id last: RowBinary for a feed that gives its column types, else JSONCompactEachRow)
 * and what the ledger keeps about it. Built row by row while the records are checked; each row's
 * two forms (the canonical JSON object line that is hashed, and the row that is inserted) are made
 * once, never re-derived.
 */
export interface PreparedBatch {
  rows: number
  contentHash: string
  amountCents: number
  /** 'YYYY-MM-DD HH:mm:ss' of the newest record */
  newestTime: string
  /** Columns of `body`, in order (the feed's columns, then batch_id). */
  columns: string[]
  /** RowBinary: `columns` with their types, as file()'s structure argument takes them. */
  structure?: string
  format: 'RowBinary' | 'JSONCompactEachRow'
  /** The rows, with the batch id: one INSERT. Its own ArrayBuffer (transferable). */
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
  /** the output's values in column order as a JSON array (a feed inserted as JSONCompactEachRow) */
  compactLine?: string
  /** the output's values in column order (a feed inserted as RowBinary) */
  values?: unknown[]
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
    ...(spec.columnTypes ? { values: columns.map((column) => record[column]) } : { compactLine: JSON.stringify(columns.map((column) => record[column])) }),
    amountCents: spec.amountColumn ? centsOf(record[spec.amountColumn] as string) : 0,
    time: spec.timeOf(record),
    fact: spec.feed === 'payments' ? factOfRecord(record) : undefined,
  }
}

export class BatchBuilder {
  private readonly objectLines: string[] = []
  private readonly compactLines: string[] = []
  /**
   * RowBinary rows, written as each record is added: the record's values are garbage at once
   * rather than held for the whole batch. A buffer of the builder's own, not the shared scratch:
   * on the main thread (workers off) two batches are checked in turns.
   */
  private readonly binary: { out: RowBinaryOut; encode: (out: RowBinaryOut, values: readonly unknown[]) => void } | undefined
  private readonly payments = new PaymentSummer()
  /** a payments record whose fact could not be read: the hub then reads the tables */
  private missingFact = false
  private amountCents = 0
  private newestTime = ''
  readonly columns: string[]

  constructor(
    private readonly spec: FeedSpec,
    private readonly batchId: string,
  ) {
    this.columns = columnsOf(spec)
    const types = spec.columnTypes
    if (types) {
      if (typeOf(types, 'batch_id') !== 'String') throw new Error('batch_id must be a String column')
      this.binary = { out: new RowBinaryOut(Buffer.allocUnsafeSlow(1 << 20)), encode: rowEncoder(this.columns.map((column) => typeOf(types, column))) }
    }
  }

  add(row: PreparedRow): void {
    this.objectLines.push(row.objectLine)
    if (this.binary) {
      if (!row.values) throw new Error(`a ${this.spec.feed} row came without its values`)
      this.binary.encode(this.binary.out, row.values)
      this.binary.out.string(this.batchId)
    } else {
      if (row.compactLine === undefined) throw new Error(`a ${this.spec.feed} row came without its compact line`)
      this.compactLines.push(row.compactLine)
    }
    if (row.fact) this.payments.add(row.fact)
    else if (this.spec.feed === 'payments') this.missingFact = true
    this.amountCents += row.amountCents
    if (row.time > this.newestTime) this.newestTime = row.time
  }

  addParsed(record: Record<string, unknown>): void {
    this.add(rowOfParsed(this.spec, this.columns, record))
  }

  finish(): PreparedBatch {
    const columns = [...this.columns, 'batch_id']
    const { binary } = this
    const types = this.spec.columnTypes
    return {
      rows: this.objectLines.length,
      contentHash: hashOfLines(this.objectLines),
      amountCents: this.amountCents,
      newestTime: this.newestTime,
      columns,
      ...(binary && types
        ? // Its own ArrayBuffer of the rows' size, so it can be transferred to the event loop.
          { format: 'RowBinary' as const, structure: structureOf(columns, types), body: new Uint8Array(binary.out.buffer.subarray(0, binary.out.at)) }
        : // Each compact row `[…]` gets the batch id as its last value: `[…,"<batchId>"]`.
          { format: 'JSONCompactEachRow' as const, body: insertBody(this.compactLines, `,${JSON.stringify(this.batchId)}]\n`) }),
      payments: this.spec.feed === 'payments' && !this.missingFact ? this.payments.finish() : undefined,
    }
  }
}

export function prepareRecords(spec: FeedSpec, batchId: string, records: readonly Record<string, unknown>[]): PreparedBatch {
  const builder = new BatchBuilder(spec, batchId)
  for (const record of records) builder.addParsed(record)
  return builder.finish()
}

/**
 * Lines are written as UTF-8 into one scratch buffer, reused batch after batch, rather than joined
 * into a string first: a 10k-row batch's lines are megabytes, and each joined copy was a large
 * object for the collector.
 */
let scratch = Buffer.allocUnsafeSlow(1 << 20)
/** Largest scratch buffer kept between batches (a 10k-row payments batch needs about 18 MB). */
const KEPT_SCRATCH_BYTES = 32 << 20

function scratchFor(lines: readonly string[], extraPerLine: number): Buffer {
  let most = 0
  for (const line of lines) most += line.length * 3 + extraPerLine // UTF-8 takes at most 3 bytes per UTF-16 unit
  // A rare very large batch gets a buffer of its own, so a worker does not hold hundreds of MB after it.
  if (most > KEPT_SCRATCH_BYTES) return Buffer.allocUnsafeSlow(most)
  if (scratch.length < most) scratch = Buffer.allocUnsafeSlow(Math.min(KEPT_SCRATCH_BYTES, Math.max(most, scratch.length * 2)))
  return scratch
}

function typeOf(types: Readonly<Record<string, string>>, column: string): string {
  const type = types[column]
  if (!type) throw new Error(`no ClickHouse type given for column ${column}`)
  return type
}

/** `name Type, …` for file(…, 'RowBinary', structure). Names and types are the feed spec's constants. */
function structureOf(columns: readonly string[], types: Readonly<Record<string, string>>): string {
  return columns.map((column) => `${column} ${typeOf(types, column)}`).join(', ')
}

/** The INSERT body: each compact row `[…]` with the batch id as its last value, `[…,"<batchId>"]`, one per line. */
function insertBody(lines: readonly string[], withBatch: string): Uint8Array {
  const tail = Buffer.from(withBatch)
  const buffer = scratchFor(lines, tail.length)
  let at = 0
  for (const line of lines) {
    at += buffer.write(line, at) - 1 // over the closing ']' (one byte)
    at += tail.copy(buffer, at)
  }
  // Its own ArrayBuffer, so it can be transferred to the event loop.
  return new Uint8Array(buffer.subarray(0, at))
}

/** The same value as contentHash(records) (see contentHash.ts), from the records' JSON lines. */
function hashOfLines(lines: readonly string[]): string {
  // The lines end in '\n' each, as contentHash.ts feeds them.
  const sorted = [...lines].sort()
  const buffer = scratchFor(sorted, 1)
  let at = 0
  for (const line of sorted) {
    at += buffer.write(line, at)
    buffer[at++] = 0x0a
  }
  return createHash('sha256').update(buffer.subarray(0, at)).digest('hex')
}
