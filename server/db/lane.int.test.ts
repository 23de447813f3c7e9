import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backgroundDb, type Db } from './client'
import { openTempDb } from '../testing/tempDb'

/** The engine lane on the real embedded engine: background work never goes ahead of the wall. */
let db: Db

beforeAll(async () => {
  db = await openTempDb()
})

afterAll(async () => {
  await db?.close()
})

async function timed(label: string, order: string[], work: Promise<unknown>): Promise<void> {
  await work
  order.push(label)
}

const select = (target: Db, sql: string) => target.client.query({ query: sql, format: 'JSONEachRow' }).then((result) => result.json())

describe('engine lane (chDB)', () => {
  it('gives the server a low-priority database for background work', () => {
    expect(db.lane).toBeDefined()
    expect(backgroundDb(db)).not.toBe(db)
    expect(backgroundDb(db).lane).toBe(db.lane)
  })

  it('runs a background query only after the wall query issued with it, though it was asked first', async () => {
    const order: string[] = []
    const low = timed('low', order, select(backgroundDb(db), 'SELECT 1 AS x'))
    const high = timed('high', order, select(db, 'SELECT sleep(0.3) AS x'))
    await Promise.all([low, high])
    expect(order).toEqual(['high', 'low'])
  })

  it('holds background queries while a busy signal says the hub is about to query, and lets them go after', async () => {
    let busy = true
    const remove = db.lane!.addBusySignal(() => busy)
    try {
      let done = false
      const low = select(backgroundDb(db), 'SELECT 2 AS x').then((rows) => {
        done = true
        return rows
      })
      await new Promise((resolve) => setTimeout(resolve, 400))
      expect(done).toBe(false)
      busy = false
      expect(await low).toEqual([{ x: 2 }])
    } finally {
      remove()
    }
  })

  it('counts the background time and answers results unchanged', async () => {
    const before = { ...db.lane!.stats }
    expect(await select(backgroundDb(db), 'SELECT 40 + 2 AS x')).toEqual([{ x: 42 }])
    expect(db.lane!.stats.lowQueries).toBe(before.lowQueries + 1)
    expect(db.lane!.stats.highQueries).toBeGreaterThanOrEqual(before.highQueries)
  })
})
