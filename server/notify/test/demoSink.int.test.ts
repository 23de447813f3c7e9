import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../../testing/tempDb'
import { findUnmaskedPersonalData } from '../../access/mask'
import { until } from '../testing/harness'

/**
 * `npm start` as a new user runs it: demo data, no channel configured, no outside network. The
 * log sink is subscribed to the whole city, so the first events (R17 督办 of the seeded approvals,
 * the first rule pass's flags) arrive as messages in the server log and at
 * GET /api/admin/notify/sink (pages left out for speed).
 */
const root = path.resolve(import.meta.dirname, '../../..')
const ADMIN_PASSWORD = 'demo-sink-admin-password'
const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: makeTempDir('ykt-notify-demo-'), CLICKHOUSE_URL: '', PORT: '0', HOST: '127.0.0.1', DEMO_SEED: 'auto', DEMO_SCALE: '3000', DEMO_FEED: 'off', ADMIN_PASSWORD }
delete env.NOTIFY_CHANNELS
delete env.NOTIFY_CHANNELS_FILE
const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts', '--api-only'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
let output = ''
child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
afterAll(() => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

interface SinkMessage { channel: string; key: string; digest: boolean; title: string; text: string }

describe('the demo log sink', () => {
  it('with no channel configured, the first messages print in the server log and show at /api/admin/notify/sink', async () => {
    await until(() => /wall on http:\/\/localhost:\d+/.test(output) || child.exitCode !== null, 'the server to listen', 240_000)
    expect(child.exitCode, output.slice(-2000)).toBeNull()
    expect(output).toContain('notify channel demo-log: log')
    expect(output).toContain('notify: demo sink subscribed to 511000')
    const url = `http://127.0.0.1:${/wall on http:\/\/localhost:(\d+)/.exec(output)![1]}`
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) })
    expect(login.status).toBe(200)
    const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0] }
    // Only an administrator reads the sink.
    expect((await fetch(`${url}/api/admin/notify/sink`)).status).toBe(401)

    let messages: SinkMessage[] = []
    await until(async () => {
      messages = ((await (await fetch(`${url}/api/admin/notify/sink`, { headers })).json()) as { messages: SinkMessage[] }).messages
      return messages.length > 0
    }, 'a message in the demo sink', 240_000)
    for (const message of messages) {
      expect(message.channel).toBe('demo-log')
      expect(message.key).toMatch(/^(digest:demo-log:|flag:|ledger:|r17:|briefing:)/)
      // ...printed in the log as it arrived, masked as on screen, with a link to the wall.
      expect(output).toContain(`notify → demo-log: ${message.title}`)
      expect(message.text).toMatch(/http:\/\/localhost:\d+\/(region|review)\//)
      expect(findUnmaskedPersonalData(message.text)).toEqual([])
    }
    const deliveries = await (await fetch(`${url}/api/admin/notify/deliveries?channel=demo-log&status=delivered`, { headers })).json() as { rows: unknown[] }
    expect(deliveries.rows.length).toBeGreaterThanOrEqual(messages.length)
    console.log(`[demo sink] ${messages.length} message(s), first: ${messages[0].title}`)

    // Stopped as a terminal or a supervisor stops it, the demo wall ends with 0. It once ended with
    // SIGSEGV after "stopped" (or hung): the engine still had work in flight when the process exited.
    child.kill('SIGTERM')
    expect(await exited, output.slice(-2000)).toEqual({ code: 0, signal: null })
    expect(output).toMatch(/\[ykt\] stopped/)
  }, 540_000)
})
