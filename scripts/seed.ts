/**
 * `npx tsx scripts/seed.ts --scale demo|full|<payments> --seed 42 [--reset] [--last-period YYYYMM]`
 * Fills the configured database (DATA_DIR / CLICKHOUSE_URL) with the calibrated demo city.
 */
import { loadConfig } from '../server/config'
import { openDb } from '../server/db/client'
import { migrate } from '../server/db/migrate'
import { consoleLogger } from '../server/context'
import { parseScale } from '../server/simulate/params'
import { resetSeededTables, seedDatabase } from '../server/simulate/seed'
import { seedReport } from '../server/simulate/report'
import { firstLine } from '../server/errorLine'

function option(name: string, fallback?: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? process.argv[at + 1] : fallback
}

async function main(): Promise<void> {
  const config = loadConfig()
  const scale = parseScale(option('scale', config.DEMO_SCALE)!)
  const seed = Number(option('seed', '42'))
  const lastPeriod = option('last-period') ? Number(option('last-period')) : undefined
  const db = await openDb({ url: config.CLICKHOUSE_URL, user: config.CLICKHOUSE_USER, password: config.CLICKHOUSE_PASSWORD, database: config.CLICKHOUSE_DATABASE, dataDir: config.dataDir })
  try {
    await migrate(db)
    if (process.argv.includes('--reset')) await resetSeededTables(db)
    const started = Date.now()
    const result = await seedDatabase(db, { scale, seed, lastPeriod }, consoleLogger)
    const { plan } = result
    console.log(`[ykt] seeded scale ${scale} (seed ${seed}): ${plan.persons.toLocaleString('en')} people, target ${plan.payments.toLocaleString('en')} payments, ${plan.firstPeriod}–${plan.lastPeriod}, band position ${result.bandPosition.toFixed(3)}`)
    console.log(`[ykt] elapsed ${((Date.now() - started) / 1000).toFixed(1)} s`)
    for (const line of await seedReport(db)) console.log(line)
  } finally {
    await db.close()
  }
}

main().catch((error: unknown) => {
  console.error(`[ykt] seed failed: ${firstLine(error, 300)}`)
  process.exit(1)
})
