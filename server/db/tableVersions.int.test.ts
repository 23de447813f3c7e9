import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from './client'
import { readTableVersions } from './tableVersions'
import { openTempDb } from '../testing/tempDb'

/**
 * A table's version moves with its data and stands still while the engine only reorganises it:
 * the rule engine, the live hub (the idle wall's clock refresh) and the rollup healer skip work
 * on an equal version, and re-run it on a different one.
 */
let db: Db
const version = async (table = 'tv_probe') => (await readTableVersions(db)).get(table)
const run = (query: string) => db.client.command({ query })

beforeAll(async () => {
  db = await openTempDb()
  await run('CREATE TABLE tv_probe (k UInt32, v UInt64) ENGINE = ReplacingMergeTree ORDER BY k')
  await run('CREATE TABLE tv_sum (k UInt32, n SimpleAggregateFunction(sum, UInt64)) ENGINE = AggregatingMergeTree ORDER BY k')
}, 60_000)
afterAll(() => db?.close())

describe('table versions', () => {
  it('move with every insert', async () => {
    await run('INSERT INTO tv_probe VALUES (1, 1)')
    const first = await version()
    await run('INSERT INTO tv_probe VALUES (1, 2)')
    expect(await version()).not.toBe(first)
  })

  it('stand still when a merge folds parts and rows (replacing and aggregating tables)', async () => {
    await run('INSERT INTO tv_probe VALUES (2, 1)')
    const replacing = await version()
    await run('OPTIMIZE TABLE tv_probe FINAL')
    expect(await version()).toBe(replacing)

    for (const n of [1, 2, 3]) await run(`INSERT INTO tv_sum VALUES (7, ${n})`)
    const aggregating = await version('tv_sum')
    await run('OPTIMIZE TABLE tv_sum FINAL')
    expect(await version('tv_sum')).toBe(aggregating)
  })

  it('move with a mutation, a lightweight delete and a truncate', async () => {
    let last = await version()
    await run('ALTER TABLE tv_probe UPDATE v = 9 WHERE k = 1 SETTINGS mutations_sync = 2')
    expect(await version()).not.toBe(last)
    last = await version()
    await run('DELETE FROM tv_probe WHERE k = 2')
    expect(await version()).not.toBe(last)
    last = await version()
    await run('TRUNCATE TABLE tv_probe')
    expect(await version()).not.toBe(last)
  })

  it('stand still when a partition of a partitioned table merges, and move when a partition between others is dropped', async () => {
    await run('CREATE TABLE tv_parts (month UInt8, v UInt64) ENGINE = MergeTree PARTITION BY month ORDER BY v')
    // Inserts that write to several partitions: each partition's parts have gaps in their block numbers.
    for (const round of [1, 2]) await run(`INSERT INTO tv_parts VALUES (1, ${round}), (2, ${round}), (3, ${round})`)
    const whole = await version('tv_parts')
    await run('OPTIMIZE TABLE tv_parts PARTITION 2 FINAL')
    expect(await version('tv_parts')).toBe(whole)
    await run('ALTER TABLE tv_parts DROP PARTITION 2')
    expect(await version('tv_parts')).not.toBe(whole)
  })
})
