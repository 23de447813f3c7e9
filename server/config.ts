import path from 'node:path'
import { z } from 'zod'

/**
 * Process configuration, read once from the environment. A bad value stops start-up with one line
 * naming the variable (see `ConfigError`), never a stack trace.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0, '0 (any free port) to 65535').max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _').default('ykt'),
  INGEST_TOKEN: z.string().min(8, 'at least 8 characters').default('demo-ingest-token'),
  DEMO_SEED: z.enum(['auto', 'off']).default('auto'),
  DEMO_SCALE: z.string().default('demo'),
  DEMO_FEED: z.enum(['on', 'off']).default('on'),
  DEMO_FEED_RATE: z.coerce.number().min(0).max(100000).default(10),
  TICK_MS: z.coerce.number().int().min(100).max(60000).default(1000),
  /** `npm run bench` only: GET /api/bench/event-loop reports the event-loop delay per phase. */
  BENCH_PROBE: z.enum(['on', 'off']).default('off'),
  NODE_ENV: z.string().default('development'),
})

export type AppConfig = z.infer<typeof envSchema> & { dataDir: string }

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ConfigError(`invalid environment variable ${issue.path.join('.')}: ${issue.message}`)
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) }
}
