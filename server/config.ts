import path from 'node:path'
import { z } from 'zod'

/**
 * Process configuration, read once from the environment. A bad value stops start-up with one line
 * naming the variable (see `ConfigError`), never a stack trace.
 */
/** The ingest token a demo prints in its README; never accepted outside demo mode. */
export const DEMO_INGEST_TOKEN = 'demo-ingest-token'

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text)
    // Only scheme, host and port: a path would mean the operator meant something else.
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text.replace(/\/$/, '').toLowerCase()
  } catch {
    return false
  }
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0, '0 (any free port) to 65535').max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _').default('ykt'),
  INGEST_TOKEN: z.string().min(8, 'at least 8 characters').default(DEMO_INGEST_TOKEN),
  DEMO_SEED: z.enum(['auto', 'off']).default('auto'),
  DEMO_SCALE: z.string().default('demo'),
  DEMO_FEED: z.enum(['on', 'off']).default('on'),
  DEMO_FEED_RATE: z.coerce.number().min(0).max(100000).default(10),
  TICK_MS: z.coerce.number().int().min(100).max(60000).default(1000),
  /** Rollups compared with the facts (and rebuilt where they differ) this often; 0 = only after a crash recovery. */
  ROLLUP_CHECK_MS: z.coerce.number().int().min(0).default(600_000),
  /**
   * At most this share of the time goes to periodic rollup checks: a check rebuilds every rollup
   * from the facts (22 CPU s at 1M payments), so at scale the interval stretches to its duration
   * divided by this share.
   */
  ROLLUP_CHECK_SHARE: z.coerce.number().gt(0).max(1).default(0.02),
  /**
   * Live sockets accepted at most (default: 3/4 of the open-files limit); more are refused with a
   * reason and retry later, so sockets never take the descriptors the engine and ingest need.
   */
  SOCKET_CAP: z.coerce.number().int().min(1).optional(),
  /** `npm run bench` only: GET /api/bench/event-loop reports the event-loop delay per phase. */
  BENCH_PROBE: z.enum(['on', 'off']).default('off'),
  NODE_ENV: z.string().default('development'),
  /**
   * Origins (scheme://host[:port], comma-separated) whose pages may change state with the session
   * cookie and open sockets with it. Unset: the origin the request itself addressed (its Host).
   */
  PUBLIC_ORIGIN: z
    .string()
    .transform((text) => text.split(',').map((origin) => origin.trim()).filter(Boolean))
    .refine((origins) => origins.every(isOrigin), 'comma-separated origins such as https://wall.example.gov.cn')
    .transform((origins) => origins.map((origin) => new URL(origin).origin))
    .optional(),
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

/**
 * Outside demo mode (DEMO_SEED=off, as deployments run) the ingest feeds must carry a token of the
 * operator's own: a missing INGEST_TOKEN would otherwise fall back to the published demo token.
 */
export function checkDeploymentSecrets(config: AppConfig): void {
  if (config.DEMO_SEED === 'off' && config.INGEST_TOKEN === DEMO_INGEST_TOKEN) {
    throw new ConfigError('INGEST_TOKEN must be set to a secret of your own when DEMO_SEED=off (the demo token is public)')
  }
}
