/**
 * A whole theme recomputed with nothing held back (every panel, fresh memo and query cache), as
 * the hub does on subscribe or the clock refresh; median of 3 after one warm-up, city and a county:
 *   npx tsx scripts/bench/profileThemes.ts <dataDir>
 */
import { openDb } from '../../server/db/client'
import { migrate } from '../../server/db/migrate'
import { metricRegistry } from '../../server/metrics/registry'
import { countingDb } from '../../server/live/countingDb'
import { MetricMemo } from '../../server/live/memo'
import { dashboards } from '../../dashboards'
import { THEME_IDS } from '../../dashboards/types'
import { percentile } from './percentiles'

const db = await openDb({ database: 'ykt', dataDir: process.argv[2] ?? '/tmp/ykt-bench-300000' })
await migrate(db)
const counted = countingDb(db)
for (const region of ['511000', '511025']) {
  for (const theme of THEME_IDS) {
    const samples: number[] = []
    let queries = 0
    for (let round = 0; round < 4; round++) {
      const memo = new MetricMemo(counted.db, metricRegistry)
      const before = counted.count()
      const started = performance.now()
      await Promise.all([
        ...dashboards[theme].panels.map((panel) => memo.run(panel.metric, { ...panel.params, region }).catch(() => null)),
        memo.asOf(region),
      ])
      if (round > 0) samples.push(performance.now() - started)
      queries = counted.count() - before
    }
    console.log(region, theme.padEnd(14), `${dashboards[theme].panels.length} panels, ${queries} queries`, Math.round(percentile(samples, 50)!), 'ms')
  }
}
await db.close()
