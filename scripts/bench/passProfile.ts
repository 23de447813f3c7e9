/**
 * Where a warm pass spends its time: runs one pass of every theme for every warm region (as the
 * hub does), records each distinct query, then runs each alone, one after another, and prints
 * them by cost (ms of engine time, the query's first words and rows read back):
 *   npx tsx scripts/bench/passProfile.ts <rows> <dataDir> [top]
 * Seeds synthetic rows on first use of dataDir. For deciding what to make cheaper, not a target.
 */
import { dashboards } from '../../dashboards'
import { openDb } from '../../server/db/client'
import { migrate } from '../../server/db/migrate'
import { defaultWarmRegions } from '../../server/live/hub'
import { MetricMemo } from '../../server/live/memo'
import { MetricParamsError, metricRegistry } from '../../server/metrics/registry'
import type { Db } from '../../server/db/client'
import { seedSynthetic } from './seedSynthetic'

const rows = Number(process.argv[2] ?? 1_000_000)
const dataDir = process.argv[3] ?? `/tmp/ykt-profile-${rows}`
const top = Number(process.argv[4] ?? 25)

type Call = { query: string; query_params?: Record<string, unknown>; format?: string }

function recordingDb(db: Db, calls: Call[]): Db {
  const client = new Proxy(db.client, {
    get(target, property) {
      const value = Reflect.get(target, property, target)
      if (property === 'query')
        return (args: Call) => {
          calls.push(args)
          return target.query(args as Parameters<typeof target.query>[0])
        }
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { ...db, client }
}

async function main() {
  // the database alone, no hub: nothing else queries while the pass is timed
  const db = await openDb({ database: 'ykt', dataDir })
  await migrate(db)
  // reuses rows already there, and finishes a seed that was stopped (budget chain, merged rollups)
  await seedSynthetic(db, rows, (line) => console.error(line))

  const calls: Call[] = []
  const regions = defaultWarmRegions()
  for (const record of [false, true]) {
    const memo = new MetricMemo(record ? recordingDb(db, calls) : db, metricRegistry, regions)
    const t0 = performance.now()
    for (const dashboard of Object.values(dashboards)) {
      const t1 = performance.now()
      await Promise.all(regions.flatMap((region) => dashboard.panels.map((panel) =>
        memo.run(panel.metric, { ...panel.params, region }).catch((error) => { if (!(error instanceof MetricParamsError)) throw error }))))
      if (record) console.log(`theme ${dashboard.id}: ${Math.round(performance.now() - t1)} ms`)
    }
    console.log(`${record ? 'recorded' : 'first (engine caches)'} pass of ${regions.length} regions: ${Math.round(performance.now() - t0)} ms, ${calls.length} queries`)
  }

  const timed: Array<{ ms: number; rows: number; sql: string }> = []
  for (const call of calls) {
    const t0 = performance.now()
    const result = await db.client.query({ query: call.query, query_params: call.query_params, format: 'JSONEachRow' })
    const out = await result.json<unknown>()
    timed.push({ ms: performance.now() - t0, rows: Array.isArray(out) ? out.length : 0, sql: call.query.replace(/\s+/g, ' ').trim() })
  }
  const total = timed.reduce((sum, t) => sum + t.ms, 0)
  console.log(`queries alone, one after another: ${Math.round(total)} ms over ${timed.length}`)
  for (const t of timed.sort((a, b) => b.ms - a.ms).slice(0, top))
    console.log(`${t.ms.toFixed(0).padStart(6)} ms ${String(t.rows).padStart(6)} rows  ${t.sql.slice(0, 260)}`)
  await db.close()
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
