import type { Db } from '../db/client'
import { quoteIdentifier } from '../db/client'
import type { IngestGate } from '../ingest/ingestGate'
import { discoverRollups } from '../rollups/discover'
import { checkRollup } from '../rollups/heal'

/**
 * Moving a file's valid rows into payment_detail, one pay month at a time: one INSERT … SELECT
 * per month, so the materialized views see each month as one large block (a million rows feed the
 * 13 views in one pass each, not in ten-thousand-row batches), and a crash loses at most the month
 * being written. Measured side by side (scripts/bench/bulkLoad.ts, 200k rows): staging the facts
 * and every rollup in copies and attaching their partitions took 5.7 s, this 3.7 s; the views
 * aggregate the block they are handed, the copies had to be read back once per rollup.
 *
 * Runs under the shared ingest gate like any ingest: the healer's exclusive check never
 * compares facts and rollups in the middle of an INSERT.
 */

export interface MonthMove {
  month: number
  rows: number
  /** rows of this file the facts already held for the month (an earlier run that stopped) */
  already: number
}

export class MoveError extends Error {}

/**
 * `validRows` is `<staging table> WHERE …` (built by the caller from whitelisted names). Months whose
 * rows are all in already are skipped; a month partly in is refused (the caller names the remedy).
 * Returns the months and whether any was found in already (then the rollups need a check).
 */
export async function moveByMonth(
  db: Db,
  gate: IngestGate,
  validRows: string,
  columns: readonly string[],
  batchId: string,
  onMonth: (done: number, total: number) => void,
): Promise<{ months: MonthMove[]; resumed: boolean }> {
  const staged = await rows<{ month: number | string; n: number | string }>(db, `SELECT toYYYYMM(pay_time) AS month, count() AS n FROM ${validRows} GROUP BY month ORDER BY month`)
  const stored = new Map(
    (await rows<{ month: number | string; n: number | string }>(
      db,
      'SELECT toYYYYMM(pay_time) AS month, count() AS n FROM payment_detail WHERE batch_id = {batchId:String} GROUP BY month',
      { batchId },
    )).map((row) => [Number(row.month), Number(row.n)]),
  )
  const months = staged.map((row) => ({ month: Number(row.month), rows: Number(row.n), already: stored.get(Number(row.month)) ?? 0 }))
  const partial = months.find((m) => m.already > 0 && m.already !== m.rows)
  if (partial) throw new MoveError(`payment_detail holds ${partial.already} of this file's ${partial.rows} rows for ${partial.month}`)
  let done = 0
  for (const month of months) {
    if (month.already === 0) {
      await gate.shared(() =>
        db.client.command({
          query: `INSERT INTO payment_detail (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM ${validRows} AND toYYYYMM(pay_time) = {month:UInt32}`,
          query_params: { month: month.month },
        }),
      )
    }
    done += month.rows
    onMonth(done, months.reduce((sum, m) => sum + m.rows, 0))
  }
  return { months, resumed: months.some((m) => m.already > 0) }
}

/** After a load that stopped half-way: every rollup over the facts is compared and rebuilt where short. */
export async function healFactRollups(db: Db, gate: IngestGate): Promise<string[]> {
  const repaired: string[] = []
  for (const rollup of (await discoverRollups(db)).filter((r) => r.sources.includes('payment_detail'))) {
    const verdict = await checkRollup(db, gate, rollup, { repair: true })
    if (verdict.repaired.length > 0) repaired.push(rollup.table)
  }
  return repaired
}

export async function dropTables(db: Db, tables: string[]): Promise<void> {
  for (const table of tables) await db.client.command({ query: `DROP TABLE IF EXISTS ${quoteIdentifier(table)}` })
}

async function rows<T>(db: Db, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await db.client.query({ query, query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}
