/** Times every registered metric once at city level: npx tsx scripts/bench/profileMetrics.ts <dataDir> */
import { openDb } from '../../server/db/client'
import { metricRegistry, runMetric } from '../../server/metrics/registry'
const db = await openDb({ database: 'ykt', dataDir: process.argv[2] ?? '/tmp/ykt-bench-300000' })
for (const round of [1, 2])
for (const [name] of metricRegistry) {
  const t = performance.now()
  try { await runMetric(db, name, { region: '511000' }) } catch (e) { console.log(name, 'ERR', String(e).slice(0, 100)); continue }
  if (round === 2) console.log(name.padEnd(28), Math.round(performance.now() - t), 'ms')
}
const t = performance.now(); for (let i = 0; i < 20; i++) await (await db.client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json(); console.log('SELECT 1 x20 avg', ((performance.now() - t) / 20).toFixed(1), 'ms')
await db.close()
