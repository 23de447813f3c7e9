import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/client'
import { openTempDb } from '../testing/tempDb'
import { discoverRollups } from './discover'

/**
 * Every rollup is merged in the background once its parts are 10 minutes old (migration 091): a
 * rollup left in several large parts makes every read merge each key's partial states, and for
 * the people sets that tripled the warm pass at 10M payments. A rollup added without the setting
 * fails here.
 */
let db: Db & { close(): Promise<void> }

beforeAll(async () => {
  db = await openTempDb()
})
afterAll(() => db?.close())

describe('rollup compaction', () => {
  it('sets a forced merge age on every rollup the views write into', async () => {
    const rollups = await discoverRollups(db)
    expect(rollups.length).toBeGreaterThanOrEqual(12)
    const result = await db.client.query({
      query: `SELECT name, extract(engine_full, 'min_age_to_force_merge_seconds = (\\d+)') AS age
              FROM system.tables WHERE database = currentDatabase() AND name IN {tables:Array(String)}`,
      query_params: { tables: rollups.map((rollup) => rollup.table) },
      format: 'JSONEachRow',
    })
    const ages = Object.fromEntries((await result.json<{ name: string; age: string }>()).map((row) => [row.name, row.age]))
    const expected = Object.fromEntries(rollups.map((rollup) => [rollup.table, '600']))
    expect(ages).toEqual(expected)
  })
})
