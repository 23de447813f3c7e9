import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { randomBytes } from 'node:crypto'
import { signIn } from './signIn'

/**
 * The server under test, started as `npm start` starts it (server/index.ts in a process of its own:
 * rule engine on, demo seeding on an empty database at the bench's scale, the pages unless
 * --api-only) with the simulated feed off, because the bench sends its own data. The bench
 * reaches it only from outside: the admin CLI (display token, a leader for the pollers) before it
 * starts, then HTTP, Socket.IO and /api/health; BENCH_PROBE=on adds /api/bench/event-loop.
 */
export interface BenchServer {
  url: string
  /** Display token, as a wall screen holds it. */
  displayToken: string
  ingestToken: string
  leader: { username: string; password: string }
  /** The server's process id (the bench reads its CPU time from /proc). */
  pid: number
  /** The server's stdout and stderr. */
  logFile: string
  /** /api/health as an administrator sees it (the live hub's and the rules' figures). */
  health(): Promise<Health>
  /** The rule engine off or on in the running server (BENCH_PROBE route). */
  setRules(on: boolean): Promise<void>
  /** Event-loop delay since the previous reading (each reading starts a window). */
  eventLoop(): Promise<EventLoopReading>
  stop(): Promise<void>
}

export interface EventLoopReading {
  windowMs: number
  samples: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  meanMs: number
}

export interface Health {
  rows: Record<string, number>
  live?: { clients: number; dbQueries: number; computations: number; ingestToScreenMs: { count: number; p50: number | null; p95: number | null; unshown: number } }
  rules?: { runs: number; lastRunMs: number; flagsStored: number; lastMinute?: { runs: number; ms: number; engineMs: number; waitMs: number } }
  [key: string]: unknown
}

export interface ServerOptions {
  dataDir: string
  /** DEMO_SCALE: demo, full or a payment count; seeds an empty data directory with the demo generator. */
  demoScale: string
  apiOnly: boolean
  runId: number
  log: (line: string) => void
  /** Checkout to run the server from (default: this one); the bench's baseline runs another commit's. */
  cwd?: string
  /** Wait for the rule engine's first pass and the demo ledger before measuring (default true). */
  settleRules?: boolean
}

const LEADER = 'bench-leader'
/** /api/health shows the hub's and rules' figures to administrators only. */
const ADMIN = 'bench-admin'

export async function startBenchServer(options: ServerOptions): Promise<BenchServer> {
  const { dataDir, log } = options
  fs.mkdirSync(dataDir, { recursive: true })
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'production' }
  const admin = (...args: string[]) => {
    const run = spawnSync('node', ['--import', 'tsx', 'scripts/admin.ts', ...args], { env, encoding: 'utf8', cwd: options.cwd })
    return { ok: run.status === 0, out: `${run.stdout}${run.stderr}` }
  }
  log('admin CLI: display token and a leader for the pollers')
  const issued = admin('token:issue', `bench-${options.runId}`, '--scope', '511000')
  const tokenMatch = /token (\S+) .*shown once:\n\s+(\S+)/.exec(issued.out)
  if (!issued.ok || !tokenMatch) throw new Error(`admin token:issue failed: ${issued.out.slice(0, 400)}`)
  const [, tokenId, displayToken] = tokenMatch
  const password = `bench-${randomBytes(9).toString('base64url')}`
  const added = admin('user:add', LEADER, '--role', 'leader', '--scope', '511000', '--password', password)
  if (!added.ok && !admin('user:password', LEADER, '--password', password).ok) throw new Error(`admin user:add failed: ${added.out.slice(0, 400)}`)
  const adminAdded = admin('user:add', ADMIN, '--role', 'admin', '--scope', '511000', '--password', password)
  if (!adminAdded.ok && !admin('user:password', ADMIN, '--password', password).ok) throw new Error(`admin user:add (admin) failed: ${adminAdded.out.slice(0, 400)}`)

  if (!options.apiOnly) {
    log('page build (as npm start: rebuilds only when out of date)')
    const build = spawnSync('node', ['--import', 'tsx', 'scripts/ensureBuild.ts'], { stdio: ['ignore', 'ignore', 'inherit'], cwd: options.cwd })
    if (build.status !== 0) throw new Error('page build failed')
  }
  const ingestToken = `bench-ingest-${randomBytes(9).toString('base64url')}`
  const logFile = `${dataDir}.server.log`
  const child = spawn('node', ['--import', 'tsx', 'server/index.ts', ...(options.apiOnly ? ['--api-only'] : [])], {
    env: { ...env, PORT: '0', HOST: '127.0.0.1', DEMO_SEED: 'auto', DEMO_SCALE: options.demoScale, DEMO_FEED: 'off', BENCH_PROBE: 'on', INGEST_TOKEN: ingestToken },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
  })
  const out = fs.createWriteStream(logFile)
  child.stdout!.pipe(out)
  child.stderr!.pipe(out)
  let ledgerSeeded = false
  child.stdout!.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('demo ledger:')) ledgerSeeded = true
  })
  log(`server starting (DEMO_SCALE=${options.demoScale}, rules on, feed off); its log: ${logFile}`)
  const url = await listening(child)
  let adminCookie: string | undefined
  const server: BenchServer = {
    url,
    displayToken,
    ingestToken,
    leader: { username: LEADER, password },
    pid: child.pid!,
    logFile,
    health: async () => {
      adminCookie ??= await signIn(url, ADMIN, password)
      return (await fetch(`${url}/api/health`, { headers: { cookie: adminCookie } })).json() as Promise<Health>
    },
    setRules: async (on) => {
      const response = await fetch(`${url}/api/bench/rules?on=${on ? 1 : 0}`, { method: 'POST', headers: { authorization: `Bearer ${ingestToken}` } })
      if (response.status !== 200) throw new Error(`rules ${on ? 'on' : 'off'}: ${response.status} ${await response.text()}`)
    },
    eventLoop: async () => (await fetch(`${url}/api/bench/event-loop`)).json() as Promise<EventLoopReading>,
    stop: async () => {
      await stopProcess(child)
      out.end()
      admin('token:revoke', tokenId)
    },
  }
  if (options.settleRules !== false) {
    try {
      await rulesSettled(server, log, () => ledgerSeeded)
    } catch (error) {
      await server.stop() // no server left running without its bench
      throw error
    }
  } else log('not waiting for the rule engine (--no-rule-settle): measuring with its first pass running, as right after npm start')
  return server
}

function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-20_000)
      const match = /wall on (http:\/\/localhost:\d+)/.exec(seen)
      if (match) {
        child.stdout!.off('data', onData)
        resolve(match[1].replace('localhost', '127.0.0.1'))
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening; see its log`)))
  })
}

/**
 * The start-up full rule pass and the demo ledger after it (the server logs "demo ledger: …" when
 * done, also when a reused database has one already) must not run inside a measured phase, nor
 * the rollup healer's check at start (it rebuilds every rollup from the facts to compare: about
 * 16 s of engine time at 2.9M payments, which fell into the idle window of the headroom section).
 * A server without the healer's figures in its health (an older checkout) is not waited for.
 */
async function rulesSettled(server: BenchServer, log: (line: string) => void, ledgerSeeded: () => boolean): Promise<void> {
  const started = Date.now()
  // A loaded machine may drop one health request (ECONNRESET seen at load 46): ask again, within the hour.
  const settled = () =>
    server.health().then(
      (health) => {
        const rollups = health.rollups as { checks?: number } | undefined
        return (health.rules?.runs ?? 0) >= 1 && (rollups?.checks === undefined || rollups.checks >= 1)
      },
      (error: unknown) => (log(`health did not answer (${error instanceof Error ? ((error.cause as { code?: string })?.code ?? error.message) : error}); asking again`), false),
    )
  while (!(await settled()) || !ledgerSeeded()) {
    if (Date.now() - started > 60 * 60_000) throw new Error('the rule engine, the rollup check and the demo ledger were not done within an hour')
    await sleep(2000)
  }
  log(`rule engine's first pass, the rollup check at start and the demo ledger done after ${Math.round((Date.now() - started) / 1000)} s`)
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  await exited
  clearTimeout(timer)
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Waits until a server's process has used under a tenth of a core for 2 s (at most `limitMs`): after
 * a flood it runs the rules over the new rows and merges their parts, and a second server measured
 * meanwhile (a baseline) would share the cores with that work. Says how long it waited.
 */
export async function untilIdle(pid: number, log: (line: string) => void, limitMs = 180_000): Promise<void> {
  const started = Date.now()
  let before = processCpuMs(pid)
  while (Date.now() - started < limitMs) {
    await sleep(2000)
    const now = processCpuMs(pid)
    if (now - before < 200) {
      log(`server ${pid} idle after ${Math.round((Date.now() - started) / 1000)} s`)
      return
    }
    before = now
  }
  log(`server ${pid} still busy after ${limitMs / 1000} s; measuring anyway`)
}

/** User + system CPU time of a process, ms (Linux /proc; clock ticks of 10 ms). */
export function processCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[0] is the state (field 3): utime and stime are fields 14 and 15
  return (Number(fields[11]) + Number(fields[12])) * 10
}
