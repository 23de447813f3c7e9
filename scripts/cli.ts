import { ConfigError, type AppConfig } from '../server/config'
import { DbStartError, openDb, type Db } from '../server/db/client'
import { migrate } from '../server/db/migrate'
import { firstLine } from '../server/errorLine'

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

/**
 * Migrates `db`, runs the command and closes the database: the command's exit code (0 when it
 * returns nothing); a refused input (`inputErrors`) prints its message and gives 2.
 */
export async function runOnDb(db: Db, command: () => Promise<number | void>, inputErrors: ReadonlyArray<abstract new (...args: never[]) => Error>): Promise<number> {
  try {
    await migrate(db)
    return (await command()) ?? 0
  } catch (error) {
    if (error instanceof UsageError || inputErrors.some((kind) => error instanceof kind)) {
      console.error((error as Error).message)
      return 2
    }
    throw error
  } finally {
    await db.close()
  }
}

/** Ends the process with `main`'s exit code; anything unexpected is one line and exit code 1. */
export function exitWith(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message = firstLine(error)
      console.error(error instanceof ConfigError ? message : `unexpected error: ${message}`)
      process.exit(1)
    },
  )
}
