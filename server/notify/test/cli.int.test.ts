import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { makeTempDir } from '../../testing/tempDb'

// The CLI opens chDB itself, so it runs in child processes on a directory this process never opens.
const dataDir = makeTempDir('ykt-notify-cli-')
const root = path.resolve(import.meta.dirname, '../../..')
const channels = JSON.stringify({ channels: [
  { id: 'zz-dt', type: 'dingtalk', scope: '511025', url: 'https://oapi.dingtalk.com/robot/send?access_token=cli-secret-token', secret: 'env:ZZ_SECRET' },
] })

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/notify.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, CLICKHOUSE_URL: '', NOTIFY_CHANNELS: channels, ZZ_SECRET: 'SECcli-dingtalk-secret' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

describe('npm run notify', () => {
  it('lists channels without secrets, subscribes within the channel scope only, lists and removes', () => {
    const listed = cli('channels')
    expect(listed.code, listed.err).toBe(0)
    expect(listed.out).toContain('zz-dt')
    expect(listed.out + listed.err).not.toMatch(/cli-secret-token|SECcli/)
    const outside = cli('sub:add', '--channel', 'zz-dt', '--scope', '511002')
    expect(outside.code).toBe(2)
    expect(outside.err).toContain('outside')
    const added = cli('sub:add', '--channel', 'zz-dt', '--scope', '511025', '--kinds', 'flag,briefing')
    expect(added.code, added.err).toBe(0)
    const id = /subscription (sub-[0-9a-f]+)/.exec(added.out)![1]
    expect(cli('sub:list').out).toContain(id)
    expect(cli('sub:remove', id).code).toBe(0)
    expect(cli('sub:list').out).not.toContain(id)
  }, 300_000)
})
