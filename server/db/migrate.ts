import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Db } from './client'
import { firstLine } from '../errorLine'

/**
 * Numbered SQL migrations (`migrations/NNN_name.sql`), applied in order at start-up and recorded in
 * `schema_migrations`. Every statement is written to be idempotent (IF NOT EXISTS), so a start that
 * died half-way through a migration simply applies it again.
 */
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

export class MigrationError extends Error {}

export interface Migration {
  version: number
  name: string
  statements: string[]
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.replace(/\.sql$/, ''),
      statements: splitStatements(fs.readFileSync(path.join(dir, file), 'utf8')),
    }))
}

/** Statements end with `;` at the end of a line; `--` comment lines are dropped. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter(Boolean)
}

export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
  const { client } = db
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations
            (version UInt32, name String, applied_at DateTime64(3) DEFAULT now64(3))
            ENGINE = ReplacingMergeTree ORDER BY version`,
  })
  const done = await client.query({ query: 'SELECT version FROM schema_migrations FINAL', format: 'JSONEachRow' })
  const applied = new Set((await done.json<{ version: number }>()).map((row) => Number(row.version)))
  const newlyApplied: string[] = []
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue
    for (const [index, statement] of migration.statements.entries()) {
      try {
        await client.command({ query: statement })
      } catch (error) {
        throw new MigrationError(`migration ${migration.name} failed at statement ${index + 1}: ${firstLine(error, 300)}`)
      }
    }
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: migration.version, name: migration.name }],
      format: 'JSONEachRow',
    })
    newlyApplied.push(migration.name)
  }
  return newlyApplied
}
