import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { openDb } from '../../db/client'
import { makeTempDir } from '../../testing/tempDb'
import { startIngestApp, queryRow, TOKEN } from '../../ingest/test/harness'
import { csvText, NONGSHANG_HEADER, nongshangRow, toGbk, writeFile } from './files'

const dir = makeTempDir('ykt-bulk-cli-')
const dataDir = makeTempDir('ykt-bulk-cli-data-')

// Each file of tests is one process, and chDB allows one data directory per process: both tests
// use one directory, opened here by the 'owner' of the first test, then by the server of the second.
/** The command in a child process; asynchronous, so a server in this process keeps answering. */
function runLoad(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'scripts/load.ts', ...args], {
      // No server answers on port 9: a test never sends files to some other process on this machine.
      env: { ...process.env, DATA_DIR: dataDir, CLICKHOUSE_URL: '', LOAD_SERVER_URL: 'http://127.0.0.1:9', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('npm run load (the command)', () => {
  it('loads a file with progress on stderr, and refuses to open a data directory another process owns', async () => {
    const file = writeFile(dir, 'cli.csv', csvText([NONGSHANG_HEADER, ...Array.from({ length: 30 }, (_, n) => nongshangRow(n, { 明细编号: `CLI-${n}` }))]))
    const loaded = await runLoad(dataDir, [file, '--bank', 'nongshang'])
    expect(loaded.stderr).toContain('reading and checking rows')
    expect(loaded.stderr).toMatch(/100% 30 rows {2}[\d,]+ rows\/s/)
    expect(loaded.stdout).toContain('30 payments stored')
    expect(loaded.code).toBe(0)

    const again = await runLoad(dataDir, [file, '--bank', 'nongshang'])
    expect(again.stdout).toContain('loaded before (same content); nothing stored')
    expect(again.code).toBe(0)

    // Another process owns the directory and no server answers: the command says so and touches nothing.
    const owner = await openDb({ database: 'ykt', dataDir })
    try {
      const refused = await runLoad(dataDir, [file, '--bank', 'nongshang'])
      expect(refused.code).toBe(3)
      expect(refused.stderr).toContain('a running server owns it')
      expect(refused.stderr).toContain('CLICKHOUSE_URL')
    } finally {
      await owner.close()
    }

    const bad = writeFile(dir, 'cli-bad.csv', csvText([NONGSHANG_HEADER, nongshangRow(90, { 明细编号: 'CLI-90', 社保卡号: '12' })]))
    const refusedRows = await runLoad(dataDir, [bad, '--bank', 'nongshang'])
    expect(refusedRows.code).toBe(4)
    expect(refusedRows.stdout).toContain('line 2, card_number: must be 12–19 digits')
    expect(refusedRows.stdout).toContain('nothing stored')
  }, 300_000)

  it('sends the file to the server that owns the data directory, which loads it (POST /api/bulk/file)', async () => {
    const app = await startIngestApp(dataDir)
    const events: Array<{ feed: string; rows: number; payments?: unknown }> = []
    app.ctx.onIngest.push((event) => events.push(event))
    try {
      const file = writeFile(dir, 'to-server.csv', toGbk(csvText([NONGSHANG_HEADER, ...Array.from({ length: 25 }, (_, n) => nongshangRow(600 + n, { 明细编号: `SRV-${n}` }))])))
      const wrongToken = await runLoad(dataDir, [file, '--bank', 'nongshang'], { LOAD_SERVER_URL: app.url, INGEST_TOKEN: 'not-the-token-0000' })
      expect(wrongToken.code).toBe(3)
      expect(wrongToken.stderr).toContain('HTTP 401')
      const sent = await runLoad(dataDir, [file, '--bank', 'nongshang'], { LOAD_SERVER_URL: app.url, INGEST_TOKEN: TOKEN })
      expect(sent.stderr).toContain('a server owns the data directory')
      expect(sent.stdout).toContain('25 payments stored')
      expect(sent.code).toBe(0)
      expect(await queryRow(app, `SELECT toString(count()) AS n FROM payment_detail WHERE startsWith(detail_id, 'SRV-')`)).toEqual({ n: '25' })
      // The live hub hears of it (no sums: it re-reads the payment rollups).
      expect(events).toEqual([expect.objectContaining({ feed: 'payments', rows: 25 })])
      expect(events[0].payments).toBeUndefined()
      const bad = writeFile(dir, 'to-server-bad.csv', csvText([NONGSHANG_HEADER, nongshangRow(700, { 明细编号: 'SRV-X', 社保卡号: '1' })]))
      const refused = await runLoad(dataDir, [bad, '--bank', 'nongshang'], { LOAD_SERVER_URL: app.url, INGEST_TOKEN: TOKEN })
      expect(refused.code).toBe(4)
      expect(refused.stdout).toContain('line 2, card_number: must be 12–19 digits')
      expect(events).toHaveLength(1)
    } finally {
      await app.close()
    }
  }, 300_000)
})
