import type { Db } from '../db/client'
import { quoteIdentifier } from '../db/client'
import type { IngestGate } from '../ingest/ingestGate'
import { discoverRollups, type Rollup } from '../rollups/discover'
import { checkRollup } from '../rollups/heal'
import { LoadError } from './loadError'

/**
 * Moving a file's valid rows into payment_detail and its rollups. Measured on one 1M-row file
 * (scripts/bench/bulkStages.ts … alternate, CPU seconds of the loading process, chDB in it, two
 * rounds alternated, load average 30–37): INSERT … SELECT through the 11 views 8.2 / 6.4 s; the
 * rows into a copy without views 1.7 / 1.2 s + each rollup fed once from that copy by its view's
 * own SELECT 4.3 / 3.3 s + attaching the copy's part 0.01 s = 6.1 / 4.5 s (wall 28 / 20 s against
 * 74 / 35 s). Larger blocks or parallel_view_processing left the views' CPU as it was. So (moveByAttach):
 *   1. the rows go into `shadow`, an empty copy of payment_detail (no views hang off it);
 *   2. under the shared ingest gate, its partitions are attached to payment_detail (ATTACH PARTITION
 *      FROM fires no view) and then every rollup is fed by its views' SELECTs over `shadow`.
 * Facts first: a load stopped between the two finds its rows stored when run again and heals the
 * rollups from the facts (healFactRollups); rollups first would count the rows twice on that run.
 * The gate keeps the healer's exclusive check from comparing facts and rollups in between.
 * When a view on payment_detail cannot be replayed over the copy (not a rollup the healer knows,
 * or its SELECT reads payment_detail more than once), the rows go through the views as before.
 */

export interface MonthMove {
  month: number
  rows: number
  /** rows of this file the facts already held for the month (an earlier run that stopped) */
  already: number
}

export class MoveError extends Error {}

/**
 * SETTINGS for filling the copy: two insert threads, each forming parts of 512k–1M rows, so few parts
 * are attached. One thread sorted, indexed and compressed the whole file alone: over the same 1M rows
 * (scratch, two rounds) one thread took 733–904 ms, two 413–417 ms (CPU 749–766 ms either way). More
 * threads than two would only split the parts further on the 2-core machines this runs on; a
 * ClickHouse server merges them in the background as it does any insert's. (Through the views, large
 * blocks changed nothing measurable: 8.2–9.1 CPU s per 1M rows either way.)
 */
const LARGE_BLOCKS = 'SETTINGS max_insert_threads = 2, max_block_size = 1048576, min_insert_block_size_rows = 524288, min_insert_block_size_bytes = 4294967296'

/**
 * `validRows` is `<staging table> WHERE …` (built by the caller from whitelisted names). Months whose
 * rows are all in already are skipped; a month partly in is refused (the caller names the remedy).
 * `shadow` is a free table name for the copy (the caller drops it). Returns the months and whether
 * any was found in already (then the rollups need a check).
 */
export async function moveRows(
  db: Db,
  gate: IngestGate,
  move: { validRows: string; columns: readonly string[]; batchId: string; shadow: string },
  onRows: (done: number, total: number) => void,
): Promise<{ months: MonthMove[]; resumed: boolean; way: 'attach' | 'views' }> {
  const { validRows, columns, batchId } = move
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
  const resumed = months.some((m) => m.already > 0)
  const todo = months.filter((m) => m.already === 0)
  const total = months.reduce((sum, m) => sum + m.rows, 0)
  const views = await replayableViews(db)
  if (todo.length === 0) {
    onRows(total, total)
  } else if (views) {
    await moveByAttach(db, gate, { ...move, months: todo.map((m) => m.month), views }, (done) => onRows(total - todo.reduce((s, m) => s + m.rows, 0) + done, total))
  } else {
    let done = total - todo.reduce((sum, m) => sum + m.rows, 0)
    for (const month of todo) {
      // One month per statement: the views see it as one large block, and a crash loses at most that month.
      await gate.shared(() =>
        db.client.command({
          query: `INSERT INTO payment_detail (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM ${validRows} AND toYYYYMM(pay_time) = {month:UInt32}`,
          query_params: { month: month.month },
        }),
      )
      done += month.rows
      onRows(done, total)
    }
  }
  return { months, resumed, way: views ? 'attach' : 'views' }
}

/** A view of payment_detail replayed over a copy: its rollup, its columns and its SELECT with the copy's name in. */
export interface ReplayView {
  rollup: string
  columns: string[]
  /** the view's SELECT with `{shadow}` where it names payment_detail */
  select: string
}

const FACTS_NAME = /\b(?:`?\w+`?\.)?`?payment_detail`?(?![\w`])/g

/**
 * Every materialized view reading payment_detail, as replayable SELECTs, or null when one is not:
 * a view whose target the rollup discovery does not know, or whose SELECT names payment_detail
 * other than once (a join or subquery over all facts would read far more than the file's rows).
 */
export async function replayableViews(db: Db): Promise<ReplayView[] | null> {
  const all = await rows<{ name: string }>(
    db,
    `SELECT mv.name AS name FROM system.tables AS src ARRAY JOIN src.dependencies_table AS mv_name
     INNER JOIN system.tables AS mv ON mv.database = src.database AND mv.name = mv_name
     WHERE src.database = currentDatabase() AND src.name = 'payment_detail'`,
  )
  const rollups: Rollup[] = (await discoverRollups(db)).filter((r) => r.sources.includes('payment_detail'))
  const known = rollups.flatMap((rollup) => rollup.views.filter((view) => view.source === 'payment_detail').map((view) => ({ rollup: rollup.table, view })))
  if (known.length !== all.length) return null
  const replays: ReplayView[] = []
  for (const { rollup, view } of known) {
    if ((view.select.match(FACTS_NAME) ?? []).length !== 1) return null
    replays.push({ rollup, columns: view.columns, select: view.select.replace(FACTS_NAME, '{shadow}') })
  }
  return replays
}

async function moveByAttach(
  db: Db,
  gate: IngestGate,
  move: { validRows: string; columns: readonly string[]; shadow: string; months: number[]; views: ReplayView[] },
  onRows: (done: number) => void,
): Promise<void> {
  const shadow = quoteIdentifier(move.shadow)
  const columns = move.columns.join(', ')
  await db.client.command({ query: `DROP TABLE IF EXISTS ${shadow}` })
  // AS payment_detail: same columns (age_years computed as there), order and partitioning; no views.
  await db.client.command({ query: `CREATE TABLE ${shadow} AS payment_detail` })
  await db.client.command({
    query: `INSERT INTO ${shadow} (${columns}) SELECT ${columns} FROM ${move.validRows} AND toYYYYMM(pay_time) IN {months:Array(UInt32)} ${LARGE_BLOCKS}`,
    query_params: { months: move.months },
  })
  const partitions = await rows<{ id: string }>(
    db,
    'SELECT DISTINCT partition_id AS id FROM system.parts WHERE database = currentDatabase() AND table = {shadow:String} AND active ORDER BY id',
    { shadow: move.shadow },
  )
  const moved = Number((await rows<{ n: number | string }>(db, `SELECT count() AS n FROM ${shadow}`))[0]?.n ?? 0)
  await gate.shared(async () => {
    for (const { id } of partitions) {
      // Partition ids are ClickHouse's own (hex, digits, 'all'); checked before being written into SQL.
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`unexpected partition id ${id} in ${move.shadow}`)
      await db.client.command({ query: `ALTER TABLE payment_detail ATTACH PARTITION ID '${id}' FROM ${shadow}` })
    }
    onRows(moved)
    try {
      for (const view of move.views) {
        const target = view.columns.map(quoteIdentifier).join(', ')
        // The SELECT is the view's own definition from the database catalogue (rollups/discover.ts).
        await db.client.command({ query: `INSERT INTO ${quoteIdentifier(view.rollup)} (${target}) SELECT ${target} FROM (${view.select.replaceAll('{shadow}', shadow)})` })
      }
    } catch (error) {
      throw new LoadError(`the rows are stored in payment_detail but the rollups did not follow (${error instanceof Error ? error.message.split('\n')[0].slice(0, 200) : String(error)}); load the file again to rebuild them from the facts`)
    }
  })
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
