import type { AppContext } from './context'
import type { RunningApp } from './app'
import { seedIfEmpty } from './simulate/seed'
import { parseScale } from './simulate/params'
import { startSimulatedFeed } from './simulate/feed'
import { seedDemoUsers } from './access'
import { beijingMonthBefore } from './beijingTime'

/** Seed used for the demo database: the same demo on every machine. */
const DEMO_RANDOM_SEED = 42

/**
 * Before the server listens: an empty database gets calibrated demo data (DEMO_SEED=auto) and the
 * demo users and wall token are (re)issued, so a fresh clone shows a working wall at once.
 */
export async function prepareDemo(ctx: AppContext): Promise<void> {
  if (ctx.config.DEMO_SEED !== 'auto') return
  const scale = parseScale(ctx.config.DEMO_SCALE)
  // The demo's history ends last month and the live feed carries on this month (the article's own
  // window, 2018-01 to 2024-09, is what `npm run seed` reproduces). Seeded payments of a month are
  // paid by early the next month, so none lies in the future.
  const seeded = await seedIfEmpty(ctx, scale, DEMO_RANDOM_SEED, beijingMonthBefore())
  if (!seeded) ctx.log.info('demo data: database already holds payments, not seeding')
  await seedDemoUsers(ctx)
}

/** After the server listens: the simulated payment feed posts through the real ingest endpoint. */
export function startDemoFeed(app: RunningApp): () => void {
  const { config, db, log } = app.ctx
  if (config.DEMO_FEED !== 'on' || config.DEMO_FEED_RATE <= 0) return () => {}
  const feed = startSimulatedFeed({ db, url: app.url, token: config.INGEST_TOKEN, ratePerSec: config.DEMO_FEED_RATE, log })
  log.info(`simulated feed: ${config.DEMO_FEED_RATE} payments/s into POST /api/ingest/payments (DEMO_FEED=off to stop)`)
  return () => feed.stop()
}

