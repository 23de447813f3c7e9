/**
 * Times every registered metric (median of 3 runs) at the city and at one county:
 *   npx tsx scripts/bench/profileMetrics.ts <dataDir> [metric-prefix]
 */
import { openDb } from '../../server/db/client'
import { migrate } from '../../server/db/migrate'
import { metricRegistry, runMetric } from '../../server/metrics/registry'
import { percentile } from './percentiles'

const db = await openDb({ database: 'ykt', dataDir: process.argv[2] ?? '/tmp/ykt-bench-300000' })
await migrate(db)
const prefix = process.argv[3] ?? ''
for (const region of ['511000', '511025']) {
  for (const [name] of metricRegistry) {
    if (!name.startsWith(prefix)) continue
    const samples: number[] = []
    for (let round = 0; round < 4; round++) {
      const started = performance.now()
      try {
        await runMetric(db, name, { region })
      } catch (error) {
        console.log(name, 'ERR', String(error).slice(0, 100))
        break
      }
      if (round > 0) samples.push(performance.now() - started)
    }
    console.log(region, name.padEnd(28), Math.round(percentile(samples, 50) ?? -1), 'ms')
  }
}
const started = performance.now()
for (let i = 0; i < 20; i++) await (await db.client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json()
console.log('SELECT 1 x20 avg', ((performance.now() - started) / 20).toFixed(1), 'ms')
await db.close()
