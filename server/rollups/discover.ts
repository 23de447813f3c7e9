import type { Db } from '../db/client'

/**
 * A rollup: a table fed by materialized views on insert into an append-only fact table. Found in
 * the database's own catalogue (system.tables), never listed here, so a migration that adds or
 * reshapes a rollup is checked and healed without a change to this code.
 */
export interface Rollup {
  table: string
  engine: string
  columns: RollupColumn[]
  /** The views writing into it, each with its SELECT over the facts and the columns it yields. */
  views: RollupView[]
  /** Fact tables the views read (for telling the live hub which data changed after a repair). */
  sources: string[]
}

export interface RollupColumn {
  name: string
  type: string
  inSortingKey: boolean
}

export interface RollupView {
  name: string
  source: string
  select: string
  columns: string[]
}

/**
 * Views hanging off plain MergeTree tables only: rebuilding a view's SELECT over all rows gives what
 * the view wrote incrementally only when rows are never replaced or collapsed afterwards.
 */
export async function discoverRollups(db: Db): Promise<Rollup[]> {
  const views = await rows<{ source: string; view: string; create: string; select: string }>(
    db,
    `SELECT src.name AS source, mv.name AS view, mv.create_table_query AS create, mv.as_select AS select
     FROM system.tables AS src
     ARRAY JOIN src.dependencies_table AS dependent
     INNER JOIN system.tables AS mv ON mv.database = src.database AND mv.name = dependent
     WHERE src.database = currentDatabase() AND src.engine = 'MergeTree' AND mv.engine = 'MaterializedView'
     ORDER BY view`,
  )
  const byTable = new Map<string, RollupView[]>()
  for (const view of views) {
    const table = targetOf(view.create)
    if (!table || !view.select) continue
    byTable.set(table, [...(byTable.get(table) ?? []), { name: view.view, source: view.source, select: view.select, columns: [] }])
  }
  if (byTable.size === 0) return []

  const names = [...byTable.keys(), ...views.map((view) => view.view)]
  const columns = await rows<{ table: string; name: string; type: string; key: number | string }>(
    db,
    `SELECT table, name, type, is_in_sorting_key AS key FROM system.columns
     WHERE database = currentDatabase() AND table IN {names:Array(String)} ORDER BY table, position`,
    { names },
  )
  const engines = await rows<{ name: string; engine: string }>(
    db,
    'SELECT name, engine FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)}',
    { names: [...byTable.keys()] },
  )
  const engineOf = new Map(engines.map((row) => [row.name, row.engine]))
  const columnsOf = (table: string) => columns.filter((column) => column.table === table)

  return [...byTable].flatMap(([table, tableViews]) => {
    const engine = engineOf.get(table)
    if (!engine) return []
    for (const view of tableViews) view.columns = columnsOf(view.name).map((column) => column.name)
    return [{
      table,
      engine,
      columns: columnsOf(table).map((column) => ({ name: column.name, type: column.type, inSortingKey: Number(column.key) === 1 })),
      views: tableViews,
      sources: [...new Set(tableViews.map((view) => view.source))],
    }]
  })
}

/** `CREATE MATERIALIZED VIEW db.v TO db.target (…) AS SELECT …` → 'target'. */
export function targetOf(createQuery: string): string | null {
  const match = /^CREATE MATERIALIZED VIEW\s+\S+\s+TO\s+(?:`?[\w]+`?\.)?`?(\w+)`?/i.exec(createQuery)
  return match ? match[1] : null
}

async function rows<T>(db: Db, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await db.client.query({ query, query_params: params, format: 'JSONEachRow' })
  return result.json<T>()
}
