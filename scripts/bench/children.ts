import { fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Load clients run in child processes of their own (never on the server's event loop, nor on the
 * bench's): the bench forks a worker script and talks to it by request/reply over the IPC channel.
 */
const here = path.dirname(fileURLToPath(import.meta.url))

export class Worker {
  private nextId = 0
  private waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiter = this.waiting.get(message.id)
      if (!waiter) return
      this.waiting.delete(message.id)
      if (message.error !== undefined) waiter.reject(new Error(`${name}: ${message.error}`))
      else waiter.resolve(message.result)
    })
    child.on('exit', (code) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`${name} exited (${code})`))
      this.waiting.clear()
    })
  }

  /** Forks scripts/bench/workers/<script>.ts (run through tsx). */
  static start(script: 'screens' | 'sender' | 'poller' | 'refresher' | 'knocker', name: string = script): Worker {
    const child = fork(path.join(here, 'workers', `${script}.ts`), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    return new Worker(name, child)
  }

  request<T>(type: string, params: unknown = {}): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.child.send({ id, type, params })
    })
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.disconnect()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
}

/** Worker side: answers the bench's requests with the named handlers; exits when the bench disconnects. */
export function serveRequests(handlers: Record<string, (params: any) => Promise<unknown>>): void {
  process.on('message', (message: { id: number; type: string; params: unknown }) => {
    const handler = handlers[message.type]
    const reply = (body: object) => process.send?.({ id: message.id, ...body })
    if (!handler) return reply({ error: `no handler ${message.type}` })
    handler(message.params).then(
      (result) => reply({ result: result ?? null }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    )
  })
  process.on('disconnect', () => process.exit(0))
}
