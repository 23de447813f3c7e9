import type { Db } from '../db/client'
import { quoteIdentifier } from '../db/client'
import type { IngestGate } from '../ingest/ingestGate'
import { discoverRollups, type Rollup } from '../rollups/discover'
import { checkRollup } from '../rollups/heal'

/**
 * Moving a file's checked rows into the facts and the rollups without paying for the
 * materialized views row block by row block (13 views cost 0.4–2.8 s each per million rows on
 * INSERT). The valid rows are written once into an empty copy of payment_detail; each rollup's
 * rows are computed from that copy by the rollup's own view SELECT (read from the catalogue, as
 * the healer does) into an empty copy of the rollup; then every copy's partitions are attached
 * to the real tables (ATTACH PARTITION … FROM: the parts are linked in, atomically per partition,
 * views do not fire). The attaches run under the exclusive ingest gate, so the healer never
 * compares facts and rollups between them.
 */

const FACT_TABLE = 'payment_detail'

/** Tables whose SELECT can be pointed at the staged facts: exactly one FROM, the facts, no JOIN. */
function retarget(select: string, database: string, staged: string): string | null {
  const reads = select.match(/\b(FROM|JOIN)\b/gi) ?? []
  if (reads.length !== 1) return null
  const pattern = new RegExp(`\\bFROM\\s+(?:\`?${database}\`?\\.)?\`?${FACT_TABLE}\`?(?=\\s|$)`, 'i')
  if (!pattern.test(select)) return null
  return select.replace(pattern, `FROM ${quoteIdentifier(staged)}`)
}

export interface PreparedMove {
  /** staging copies: [real table, staged copy] */
  pairs: Array<[string, string]>
  /** rollups whose views could not be pointed at the staged facts: healed after the attach */
  toHeal: Rollup[]
}

/** Staged copies of the facts (filled by `fillFacts`) and of every rollup over the facts. */
export async function prepareMove(db: Db, prefix: string, fillFacts: (table: string) => Promise<void>): Promise<PreparedMove> {
  const facts = `${prefix}_facts`
  await db.client.command({ query: `DROP TABLE IF EXISTS ${quoteIdentifier(facts)}` })
  await db.client.command({ query: `CREATE TABLE ${quoteIdentifier(facts)} AS ${FACT_TABLE}` })
  await fillFacts(facts)
  const pairs: Array<[string, string]> = [[FACT_TABLE, facts]]
  const toHeal: Rollup[] = []
  const rollups = (await discoverRollups(db)).filter((rollup) => rollup.sources.includes(FACT_TABLE))
  for (const [n, rollup] of rollups.entries()) {
    const selects = rollup.views.map((view) => ({ view, select: view.source === FACT_TABLE ? retarget(view.select, db.database, facts) : null }))
    if (selects.some((s) => s.select === null)) {
      toHeal.push(rollup)
      continue
    }
    const staged = `${prefix}_r${n}`
    await db.client.command({ query: `DROP TABLE IF EXISTS ${quoteIdentifier(staged)}` })
    await db.client.command({ query: `CREATE TABLE ${quoteIdentifier(staged)} AS ${quoteIdentifier(rollup.table)}` })
    for (const { view, select } of selects) {
      const columns = view.columns.map(quoteIdentifier).join(', ')
      // The SELECT is the view's own definition from the catalogue, its FROM pointed at the staged facts.
      await db.client.command({ query: `INSERT INTO ${quoteIdentifier(staged)} (${columns}) SELECT ${columns} FROM (${select})` })
    }
    pairs.push([rollup.table, staged])
  }
  return { pairs, toHeal }
}

/** Attaches every staged partition, facts first; then heals the rollups that could not be staged. */
export async function commitMove(db: Db, gate: IngestGate, move: PreparedMove): Promise<void> {
  await gate.exclusive(async () => {
    for (const [table, staged] of move.pairs) {
      for (const partition of await partitionsOf(db, staged)) {
        await db.client.command({ query: `ALTER TABLE ${quoteIdentifier(table)} ATTACH PARTITION ID '${partition}' FROM ${quoteIdentifier(staged)}` })
      }
    }
  })
  for (const rollup of move.toHeal) await checkRollup(db, gate, rollup, { repair: true })
}

/** After a load that stopped between attaches: every rollup over the facts is compared and rebuilt where short. */
export async function healFactRollups(db: Db, gate: IngestGate): Promise<string[]> {
  const repaired: string[] = []
  for (const rollup of (await discoverRollups(db)).filter((r) => r.sources.includes(FACT_TABLE))) {
    const verdict = await checkRollup(db, gate, rollup, { repair: true })
    if (verdict.repaired.length > 0) repaired.push(rollup.table)
  }
  return repaired
}

async function partitionsOf(db: Db, table: string): Promise<string[]> {
  const result = await db.client.query({
    query: `SELECT DISTINCT partition_id FROM system.parts WHERE database = currentDatabase() AND table = {table:String} AND active`,
    query_params: { table },
    format: 'JSONEachRow',
  })
  const ids = (await result.json<{ partition_id: string }>()).map((row) => row.partition_id)
  // Partition ids are ClickHouse's own (hex, digits, 'all'); checked before being written into SQL.
  for (const id of ids) if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`unexpected partition id in ${table}`)
  return ids
}

export async function dropTables(db: Db, tables: string[]): Promise<void> {
  for (const table of tables) await db.client.command({ query: `DROP TABLE IF EXISTS ${quoteIdentifier(table)}` })
}
