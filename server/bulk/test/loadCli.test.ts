import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { openDb } from '../../db/client'
import { idNumberProblem } from '../../ingest/idNumber'
import { makeIdNumber, withWrongCheckCharacter } from '../../ingest/test/fixtures'
import { makeTempDir, openTempDb } from '../../testing/tempDb'
import { idNumberReason } from '../sqlChecks'
import { csvText, NONGSHANG_HEADER, nongshangRow, writeFile } from './files'

const dir = makeTempDir('ykt-bulk-cli-')

function runLoad(dataDir: string, args: string[]) {
  const run = spawnSync('npx', ['tsx', 'scripts/load.ts', ...args], {
    env: { ...process.env, DATA_DIR: dataDir, CLICKHOUSE_URL: '' },
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

describe('npm run load (the command)', () => {
  it('loads a file with progress on stderr, and refuses to open a data directory another process owns', async () => {
    const dataDir = makeTempDir('ykt-bulk-cli-data-')
    const file = writeFile(dir, 'cli.csv', csvText([NONGSHANG_HEADER, ...Array.from({ length: 30 }, (_, n) => nongshangRow(n, { 明细编号: `CLI-${n}` }))]))
    const loaded = runLoad(dataDir, [file, '--bank', 'nongshang'])
    expect(loaded.stderr).toContain('reading and checking rows')
    expect(loaded.stderr).toMatch(/100% 30 rows {2}[\d,]+ rows\/s/)
    expect(loaded.stdout).toContain('30 payments stored')
    expect(loaded.code).toBe(0)

    const again = runLoad(dataDir, [file, '--bank', 'nongshang'])
    expect(again.stdout).toContain('loaded before (same content); nothing stored')
    expect(again.code).toBe(0)

    // A server (here: this process) owns the directory: the command says so and touches nothing.
    const owner = await openDb({ database: 'ykt', dataDir })
    try {
      const refused = runLoad(dataDir, [file, '--bank', 'nongshang'])
      expect(refused.code).toBe(3)
      expect(refused.stderr).toContain('a running server owns it')
      expect(refused.stderr).toContain('CLICKHOUSE_URL')
    } finally {
      await owner.close()
    }

    const bad = writeFile(dir, 'cli-bad.csv', csvText([NONGSHANG_HEADER, nongshangRow(90, { 明细编号: 'CLI-90', 社保卡号: '12' })]))
    const refusedRows = runLoad(dataDir, [bad, '--bank', 'nongshang'])
    expect(refusedRows.code).toBe(4)
    expect(refusedRows.stdout).toContain('line 2, card_number: must be 12–19 digits')
    expect(refusedRows.stdout).toContain('nothing stored')
  })

  it('checks 身份证号 in SQL exactly as the HTTP feed does in TypeScript', async () => {
    const db = await openTempDb()
    try {
      const ids = [
        '11010519491231002X', makeIdNumber(1), makeIdNumber(2, '20000229', '女'), withWrongCheckCharacter(makeIdNumber(3)),
        '51102519000229001X', '5110251958031200', '01102519580312001X', '51102519580231001X', '511025209901010011', '51102518991231001X',
        '51102519580312001x', '５11025195803120011',
      ]
      const result = await db.client.query({
        query: `SELECT id, ${idNumberReason('id')} AS reason FROM (SELECT arrayJoin({ids:Array(String)}) AS id)`,
        query_params: { ids, today8: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '') },
        format: 'JSONEachRow',
      })
      const sql = await result.json<{ id: string; reason: string }>()
      expect(sql.map((row) => row.reason)).toEqual(ids.map((id) => idNumberProblem(id) ?? ''))
    } finally {
      await db.close()
    }
  })
})
