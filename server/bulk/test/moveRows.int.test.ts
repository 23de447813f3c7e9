import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/client'
import { IngestGate } from '../../ingest/ingestGate'
import { discoverRollups } from '../../rollups/discover'
import { checkRollup } from '../../rollups/heal'
import { makeTempDir, openTempDb } from '../../testing/tempDb'
import { FACT_COLUMNS, loadFile } from '../loadFile'
import { healFactRollups, replayableViews } from '../moveRows'
import { csvText, NONGSHANG_HEADER, nongshangRow, writeFile } from './files'

/**
 * How a payroll file's rows reach payment_detail and its rollups (moveRows.ts): a copy's part
 * attached to the facts, then each rollup fed once by its view's SELECT over the copy; a load
 * stopped between the two completed by loading the file again; the views path when a view
 * cannot be replayed over the copy.
 */
/** Each test loads files and runs the healer's check over 8 rollups: minutes on a loaded machine. */
const SLOW = 300_000
const dir = makeTempDir('ykt-bulk-move-')
let db: Db

beforeAll(async () => {
  db = await openTempDb()
})
afterAll(() => db?.close())

async function one<T>(query: string, params: Record<string, unknown> = {}): Promise<T> {
  const result = await db.client.query({ query, query_params: params, format: 'JSONEachRow' })
  const [row] = await result.json<Record<string, unknown>>()
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v])) as T
}

async function rollupsDisagreeing(): Promise<string[]> {
  const out: string[] = []
  for (const rollup of (await discoverRollups(db)).filter((r) => r.sources.includes('payment_detail'))) {
    const verdict = await checkRollup(db, new IngestGate(), rollup, { repair: false })
    if (verdict.mismatched.length > 0 || verdict.unchecked) out.push(rollup.table)
  }
  return out.sort()
}

const cityPayments = async () => Number((await one<{ n: string }>(`SELECT sum(payments) AS n FROM agg_region_month WHERE region_code = '511000'`)).n)
const factsOf = async (prefix: string) => Number((await one<{ n: string }>(`SELECT count() AS n FROM payment_detail WHERE startsWith(detail_id, {prefix:String})`, { prefix })).n)
const payroll = (name: string, prefix: string, count: number, from: number) =>
  writeFile(dir, name, csvText([NONGSHANG_HEADER, ...Array.from({ length: count }, (_, n) => nongshangRow(from + n, { 明细编号: `${prefix}${n}`, 发放状态: n % 4 === 0 ? '1' : '0', 失败原因: n % 4 === 0 ? '账户冻结' : '' }))]))

describe('moving a bulk file into facts and rollups', () => {
  it('attaches the rows and feeds every rollup once: rollups equal the facts, each row counted once', async () => {
    // every one of the 8 views on payment_detail (migration 094) can be replayed from the copy
    expect((await replayableViews(db))?.length).toBe(8)
    const before = await cityPayments()
    const result = await loadFile(db, { file: payroll('attach.csv', 'AT-', 30, 0), bank: 'nongshang', kind: 'payroll' })
    expect(result).toMatchObject({ status: 'loaded', rowsLoaded: 30, movedBy: 'attach' })
    expect(await factsOf('AT-')).toBe(30)
    expect(await cityPayments()).toBe(before + 30)
    expect(await rollupsDisagreeing()).toEqual([])
    // The copy is gone with the other staging tables.
    expect(await one<{ n: string }>(`SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND startsWith(name, '_bulk_')`)).toEqual({ n: '0' })
  }, SLOW)

  it('completes a load stopped after the facts were attached and before the rollups followed', async () => {
    const file = payroll('stopped.csv', 'ST-', 20, 100)
    const first = await loadFile(db, { file, bank: 'nongshang', kind: 'payroll' })
    expect(first.status).toBe('loaded')
    // Undo the load, keeping its fact rows aside: the database as it was before it.
    await db.client.command({ query: 'CREATE TABLE kept AS payment_detail' })
    await db.client.command({ query: `INSERT INTO kept (${FACT_COLUMNS.join(', ')}) SELECT ${FACT_COLUMNS.join(', ')} FROM payment_detail WHERE batch_id = {b:String}`, query_params: { b: first.batchId } })
    await db.client.command({ query: 'ALTER TABLE payment_detail DELETE WHERE batch_id = {b:String} SETTINGS mutations_sync = 2', query_params: { b: first.batchId } })
    await db.client.command({ query: 'ALTER TABLE bulk_file DELETE WHERE content_hash = {h:String} SETTINGS mutations_sync = 2', query_params: { h: first.contentHash } })
    await healFactRollups(db, new IngestGate())
    const before = await cityPayments()
    // What a stop between the two steps leaves: the copy's part attached (no view fires), no rollup fed.
    const [part] = await (await db.client.query({ query: `SELECT DISTINCT partition_id AS id FROM system.parts WHERE database = currentDatabase() AND table = 'kept' AND active`, format: 'JSONEachRow' })).json<{ id: string }>()
    await db.client.command({ query: `ALTER TABLE payment_detail ATTACH PARTITION ID '${part.id}' FROM kept` })
    await db.client.command({ query: 'DROP TABLE kept' })
    expect(await factsOf('ST-')).toBe(20)
    expect(await cityPayments()).toBe(before)

    const again = await loadFile(db, { file, bank: 'nongshang', kind: 'payroll' })
    expect(again).toMatchObject({ status: 'loaded', rowsLoaded: 20, recovered: true })
    expect(await factsOf('ST-')).toBe(20)
    expect(await cityPayments()).toBe(before + 20)
    expect(await rollupsDisagreeing()).toEqual([])
    expect((await loadFile(db, { file, bank: 'nongshang', kind: 'payroll' })).status).toBe('duplicate')
  }, SLOW)

  it('goes through the views when a view cannot be replayed over the copy (it names payment_detail twice)', async () => {
    await db.client.command({ query: 'CREATE TABLE agg_test_named (county_code String, payments SimpleAggregateFunction(sum, UInt64)) ENGINE = AggregatingMergeTree ORDER BY county_code' })
    // Replaying means renaming the facts in the view's text: a name inside a literal would be renamed too.
    await db.client.command({ query: `CREATE MATERIALIZED VIEW mv_test_named TO agg_test_named AS SELECT county_code, count() AS payments FROM payment_detail WHERE batch_id != 'payment_detail' GROUP BY county_code` })
    try {
      expect(await replayableViews(db)).toBeNull()
      const before = await cityPayments()
      const result = await loadFile(db, { file: payroll('views.csv', 'VW-', 25, 200), bank: 'nongshang', kind: 'payroll' })
      expect(result).toMatchObject({ status: 'loaded', rowsLoaded: 25, movedBy: 'views' })
      expect(await cityPayments()).toBe(before + 25)
      expect(await one<{ n: string }>('SELECT sum(payments) AS n FROM agg_test_named')).toEqual({ n: '25' })
      // agg_test_named began empty beside facts already stored: only the other rollups can equal the facts.
      expect((await rollupsDisagreeing()).filter((table) => table !== 'agg_test_named')).toEqual([])
    } finally {
      await db.client.command({ query: 'DROP VIEW IF EXISTS mv_test_named' })
      await db.client.command({ query: 'DROP TABLE IF EXISTS agg_test_named' })
    }
  }, SLOW)
})
