import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDb, type Db } from '../db/client'
import { migrate } from '../db/migrate'
import { loadConfig, type AppConfig } from '../config'

/**
 * Test helpers. chDB allows one data directory per process and vitest runs each test file in its
 * own process, so a test file makes one temporary directory and keeps it for all its tests
 * (a server restarted inside a test reopens the same directory).
 */
export function makeTempDir(prefix = 'ykt-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** A migrated database in a fresh temporary directory (embedded chDB). */
export async function openTempDb(dataDir = makeTempDir()): Promise<Db & { dataDir: string }> {
  const db = await openDb({ database: 'ykt', dataDir })
  await migrate(db)
  return Object.assign(db, { dataDir })
}

/** Configuration for an app under test: random port, no demo seed, no simulated feed. */
export function testConfig(dataDir: string, overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO_SEED: 'off',
    DEMO_FEED: 'off',
    TICK_MS: '200',
    ROLLUP_CHECK_MS: '0',
    ...overrides,
  })
}
