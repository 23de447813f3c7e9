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

export async function startServer(dataDir: string, options: { viaNpm?: boolean; env?: Record<string, string> } = {}): Promise<ServerProcess> {
  const env = {
    ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO_SEED: 'off', DEMO_FEED: 'off',
    INGEST_TOKEN: TOKEN, ROLLUP_CHECK_MS: '0', ...options.env,
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

export async function getJson(url: string, path: string): Promise<any> {
  const response = await fetch(`${url}${path}`)
  return response.json()
}

export function kill(server: ServerProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(server.child.pid!, signal)
  } catch {
    // already gone
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
