import type { z } from 'zod'
import type { DataKind } from '../../dataKinds'

/**
 * What the ingest pipeline needs to know about one feed. The table name is a constant here, the only
 * place an identifier for an INSERT comes from.
 */
export interface FeedSpec<R extends Record<string, unknown> = Record<string, unknown>> {
  feed: string
  table: string
  /** Strict record schema; its keys are the table's column names and its output is what is inserted. */
  record: z.ZodType<R>
  /** What a stored batch changes on the wall: the live core recomputes the rooms that read these kinds. */
  changes: readonly DataKind[]
  /** Column summed into a batch's amount; null when the feed carries no money. */
  amountColumn: (keyof R & string) | null
  /** When the record happened ('YYYY-MM-DD HH:mm:ss'); the newest one is kept in the ledger. */
  timeOf(record: R): string
  /**
   * The table's ClickHouse type of each record column and batch_id, in that order, as
   * system.columns spells them: given, the batch is inserted as RowBinary (../rowBinary.ts), which
   * the engine reads without parsing text; absent, as JSONCompactEachRow. A test compares them with
   * the migrated table (test/rowBinary.int.test.ts).
   */
  columnTypes?: Readonly<Record<string, string>>
}

/** Keeps the record type while the registry holds specs of different feeds side by side. */
export function defineFeed<R extends Record<string, unknown>>(spec: FeedSpec<R>): FeedSpec<R> {
  return spec
}
