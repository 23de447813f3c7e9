import type { AppConfig } from '../server/config'
import { DbStartError, openDb, type Db } from '../server/db/client'

/** Wrong arguments: the command prints the message and its usage, and exits 2. */
export class UsageError extends Error {}

/** The parsed arguments, or exit code 2 after printing what was wrong (if anything) and the usage. */
export function parseOrUsage<T>(parse: () => T, usage: string): T | 2 {
  try {
    return parse()
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    if (error.message) console.error(error.message)
    console.error(usage)
    return 2
  }
}

/**
 * The configured database for a command-line tool, or the start error when the embedded engine
 * could not open its data directory: chDB lets one process use a directory, so a running server
 * that owns it is the usual cause, and each tool says what to do about that in its own words.
 */
export async function openToolDb(config: AppConfig): Promise<{ db: Db } | { ownedElsewhere: DbStartError }> {
  try {
    return { db: await openDb({ url: config.CLICKHOUSE_URL, user: config.CLICKHOUSE_USER, password: config.CLICKHOUSE_PASSWORD, database: config.CLICKHOUSE_DATABASE, dataDir: config.dataDir }) }
  } catch (error) {
    if (error instanceof DbStartError && !config.CLICKHOUSE_URL) return { ownedElsewhere: error }
    throw error
  }
}
