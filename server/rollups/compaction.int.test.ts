import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/client'
import { openTempDb } from '../testing/tempDb'
import { discoverRollups } from './discover'

/**
 * Every rollup (migration 091) and every table read with FINAL (092) is merged in the background
 * once its parts are 10 minutes old: reads merge every part's partial states or row versions of a
 * key, and for the people sets that tripled the warm pass at 10M payments. A table added without
 * the setting fails here.
 */
let db: Db & { close(): Promise<void> }

beforeAll(async () => {
  db = await openTempDb()
})
afterAll(() => db?.close())

describe('rollup compaction', () => {
  it('sets a forced merge age on every rollup the views write into', async () => {
    const rollups = await discoverRollups(db)
    expect(rollups.length).toBeGreaterThanOrEqual(8)
    const tables = rollups.map((rollup) => rollup.table)
    expect(await mergeAges(tables)).toEqual(Object.fromEntries(tables.map((table) => [table, '600'])))
  })

  it('sets it on every table whose rows are replaced (read with FINAL)', async () => {
    const result = await db.client.query({
      query: `SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%ReplacingMergeTree'`,
      format: 'JSONEachRow',
    })
    const tables = (await result.json<{ name: string }>()).map((row) => row.name)
    expect(tables).toEqual(expect.arrayContaining(['flag', 'ledger_item', 'notify_outbox', 'ingest_batch', 'payment_voucher']))
    expect(await mergeAges(tables)).toEqual(Object.fromEntries(tables.map((table) => [table, '600'])))
  })

  it('merges payment_detail and every rollup its views feed with a wide base (migration 097)', async () => {
    const fed = (await discoverRollups(db)).filter((rollup) => rollup.sources.includes('payment_detail')).map((rollup) => rollup.table)
    expect(fed.length).toBeGreaterThanOrEqual(8)
    const tables = ['payment_detail', ...fed]
    expect(await tableSetting(tables, 'merge_selector_base')).toEqual(Object.fromEntries(tables.map((table) => [table, '25'])))
  })
})

const mergeAges = (tables: string[]) => tableSetting(tables, 'min_age_to_force_merge_seconds')

/** A numeric table setting as each table's engine definition spells it ('' where it is not set). */
async function tableSetting(tables: string[], setting: 'min_age_to_force_merge_seconds' | 'merge_selector_base'): Promise<Record<string, string>> {
  const result = await db.client.query({
    query: `SELECT name, extract(engine_full, concat({setting:String}, ' = (\\d+)')) AS value
            FROM system.tables WHERE database = currentDatabase() AND name IN {tables:Array(String)}`,
    query_params: { tables, setting },
    format: 'JSONEachRow',
  })
  return Object.fromEntries((await result.json<{ name: string; value: string }>()).map((row) => [row.name, row.value]))
}
