import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'

/** A wall server in its own process, as deployed (plain node, tsx as loader), on a given data dir. */
export interface ServerProcess {
  child: ChildProcess
  url: string
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export const TOKEN = 'faults-ingest-token-0123'
/** The first start on a data dir creates `admin` with this password (ADMIN_PASSWORD). */
const ADMIN_PASSWORD = 'faults-admin-pass-0123'

export async function startServer(dataDir: string, options: { viaNpm?: boolean; env?: Record<string, string> } = {}): Promise<ServerProcess> {
  const env = {
    ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO_SEED: 'off', DEMO_FEED: 'off',
    INGEST_TOKEN: TOKEN, ADMIN_PASSWORD, ROLLUP_CHECK_MS: '0', ...options.env,
  }
  const [command, args] = options.viaNpm ? ['npm', ['start', '--', '--api-only']] : [process.execPath, ['--import', 'tsx', 'server/index.ts', '--api-only']]
  const child = spawn(command, args as string[], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const until = Date.now() + 300_000
  while (!/wall on http:\/\/localhost:(\d+)/.test(output)) {
    if (Date.now() > until || child.exitCode !== null || child.signalCode !== null) throw new Error(`server did not start:\n${output.slice(-1500)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { child, url: `http://127.0.0.1:${/wall on http:\/\/localhost:(\d+)/.exec(output)![1]}`, output: () => output, exited }
}

export interface Answer {
  status: number
  body: string
  headers: http.IncomingHttpHeaders
}

/** POST with node:http (keep-alive off), resolving to the answer or to the connection error's code. */
export function post(url: string, path: string, body: string | Buffer, headers: Record<string, string> = {}, onSent?: () => void): Promise<Answer | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request(`${url}${path}`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'content-length': Buffer.byteLength(body), ...headers },
    })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }))
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    })
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    req.end(body, onSent)
  })
}

const cookies = new Map<string, string>()

/**
 * /api/health as an administrator sees it: row counts and the rollup healer's figures (the public
 * answer says only up/down and data freshness). Signs in once per server; a cookie kept for a port
 * an earlier server (other data) had is refused, and then it signs in again.
 */
export async function healthDetails(url: string, retry = true): Promise<any> {
  let cookie = cookies.get(url)
  if (!cookie) {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    })
    if (login.status !== 200) throw new Error(`admin sign-in answered ${login.status}: ${await login.text()}`)
    cookie = login.headers.get('set-cookie')!.split(';')[0]
    cookies.set(url, cookie)
  }
  const health = await (await fetch(`${url}/api/health`, { headers: { cookie } })).json()
  if (health.rows) return health
  cookies.delete(url)
  if (retry) return healthDetails(url, false)
  throw new Error(`/api/health shows no details to the admin: ${JSON.stringify(health).slice(0, 200)}`)
}

export function kill(server: ServerProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(server.child.pid!, signal)
  } catch {
    // already gone
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
