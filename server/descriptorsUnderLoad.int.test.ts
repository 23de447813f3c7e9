import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { io, type Socket } from 'socket.io-client'
import { SOCKETS_FULL } from '../dashboards/liveContract'
import { paymentFixture, placeOf } from './ingest/test/fixtures'
import { makeTempDir } from './testing/tempDb'

/**
 * The server as deployed, in a process whose open-files limit is small (1024): more sockets than
 * it has descriptors for knock at once. Profiled on main, this is where chDB failed with EMFILE and
 * ingest answered 500. Now the default cap (3/4 of the limit: 768) holds, the rest is refused with
 * the reason (or, past the HTTP connection cap, closed as it arrives), and ingest answers 200.
 */
const LIMIT = 1024
const CAP = 768
const KNOCKING = 1000
const INGEST_TOKEN = 'descriptors-test-ingest-token'

let child: ChildProcess
let output = ''
let url = ''
let token = ''
const sockets: Socket[] = []

beforeAll(async () => {
  const dir = makeTempDir('ykt-descriptors-')
  const env = { ...process.env, DATA_DIR: dir, DEMO_SEED: 'off', DEMO_FEED: 'off', PORT: '0', HOST: '127.0.0.1', INGEST_TOKEN }
  // the display token, issued as an operator would before the server owns the data directory
  const issued = spawnSync('node', ['--import', 'tsx', 'scripts/admin.ts', 'token:issue', 'descriptors-test', '--scope', '511000'], { env, encoding: 'utf8' })
  token = /shown once:\n\s+(\S+)/.exec(`${issued.stdout}${issued.stderr}`)?.[1] ?? ''
  expect(token, `${issued.stdout}${issued.stderr}`).not.toBe('')
  child = spawn('sh', ['-c', `ulimit -n ${LIMIT}; exec node --import tsx server/index.ts --api-only`], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const until = Date.now() + 120_000
  while (!/wall on http:\/\/localhost:(\d+)/.test(output)) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`server did not come up:\n${output.slice(-2000)}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  url = `http://127.0.0.1:${/wall on http:\/\/localhost:(\d+)/.exec(output)![1]}`
}, 180_000)

afterAll(() => {
  for (const socket of sockets) socket.close()
  child?.kill('SIGTERM')
})

type Outcome = 'connected' | 'full' | 'dropped'

function knock(): Promise<Outcome> {
  const socket = io(url, { path: '/socket.io', auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 })
  sockets.push(socket)
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'))
    socket.once('connect_error', (error) => {
      socket.close()
      resolve(error.message === SOCKETS_FULL ? 'full' : 'dropped')
    })
  })
}

async function ingest(n: number): Promise<number> {
  const response = await fetch(`${url}/api/ingest/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
    body: JSON.stringify({ batchId: `descriptors-${n}`, records: [paymentFixture(n, { ...placeOf(n), pay_time: '2024-05-20 10:15:00' })] }),
  })
  await response.body?.cancel()
  return response.status
}

describe(`open-files limit ${LIMIT}, ${KNOCKING} sockets at once`, () => {
  it('logs the limit and the caps it sized from it', () => {
    expect(output).toContain(`open files: ${LIMIT} (at the hard limit); sockets capped at ${CAP}, HTTP connections at ${CAP + (LIMIT - CAP) / 2}`)
  })

  it('holds the cap, refuses the rest, and ingest answers 200 with no EMFILE', async () => {
    const outcomes = await Promise.all(Array.from({ length: KNOCKING }, () => knock()))
    const count = (kind: Outcome) => outcomes.filter((outcome) => outcome === kind).length
    expect(count('connected')).toBe(CAP)
    expect(count('full')).toBeGreaterThan(0)
    expect(count('full') + count('dropped')).toBe(KNOCKING - CAP)

    for (let n = 1; n <= 3; n++) expect(await ingest(n)).toBe(200)
    const health = await fetch(`${url}/api/health`)
    expect(health.status).toBe(200)
    await health.body?.cancel()
    expect(output).not.toMatch(/EMFILE|too many open files/i)
  }, 180_000)
})
