import os from 'node:os'
import { Worker } from 'node:worker_threads'
import { HttpError } from '../../http/router'
import type { PreparedBatch } from '../preparedBatch'
import type { ReceivedBody } from '../readBatch'
import type { PrepareResult } from './prepareTask'

/**
 * Ingest workers: decoding, reading, checking and serializing a batch (the CPU-heavy part of an
 * ingest: hundreds of ms for 10k records) run in worker threads, one per core, so the event loop
 * (sockets, ticks, /api/health, other senders) is never held by a batch. The main thread only
 * receives bytes, hands them over (transferred, not copied) and stores what comes back.
 */
interface Slot {
  worker: Worker
  ready: Promise<void>
  busy: boolean
}

interface Job {
  id: number
  request: { feed: string; body: ReceivedBody }
  resolve: (result: PrepareResult) => void
  reject: (error: Error) => void
}

const STARTUP_TIMEOUT_MS = 120_000

export class PreparePool {
  private readonly slots: Slot[] = []
  private readonly queue: Job[] = []
  private readonly running = new Map<Worker, Job>()
  private nextId = 1
  private closed = false

  constructor(readonly size = Math.max(1, os.availableParallelism())) {}

  /** Starts the workers now (their first load takes a moment), rather than with the first batch. */
  warm(): void {
    while (this.slots.length < this.size) this.slots.push(this.spawn())
  }

  async prepare(feed: string, body: ReceivedBody): Promise<{ batchId: string; prepared: PreparedBatch }> {
    if (this.closed) throw new HttpError(503, 'server is restarting; send the batch again in a few seconds')
    this.warm()
    const result = await new Promise<PrepareResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request: { feed, body }, resolve, reject })
      this.dispatch()
    })
    if (!result.ok) throw new HttpError(result.status, result.message, result.details)
    return { batchId: result.batchId, prepared: result.prepared }
  }

  async close(): Promise<void> {
    this.closed = true
    for (const job of this.queue.splice(0)) job.reject(new HttpError(503, 'server is restarting; send the batch again in a few seconds'))
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()))
  }

  private spawn(): Slot {
    // No inherited node flags: under the tsx CLI (npm run dev) they include its preflight, which
    // hangs in a worker thread. The entry loads the TypeScript itself (tsImport).
    const worker = new Worker(new URL('./entry.mjs', import.meta.url), { execArgv: [] })
    // Idle workers must not keep a stopping process alive; a running job holds a ref (see dispatch).
    worker.unref()
    const slot: Slot = { worker, busy: false, ready: Promise.resolve() }
    slot.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean }) => {
        if (!message.ready) return
        worker.off('message', onMessage)
        resolve()
      }
      worker.on('message', onMessage)
      worker.once('error', reject)
      // A worker that never comes up must fail its batches (500), not hold them (and the cap) forever.
      const timer = setTimeout(() => {
        reject(new Error(`not ready after ${STARTUP_TIMEOUT_MS / 1000} s`))
        void worker.terminate()
      }, STARTUP_TIMEOUT_MS)
      timer.unref()
      worker.on('message', (message: { ready?: boolean }) => message.ready && clearTimeout(timer))
    })
    slot.ready.catch(() => {}) // reported through the job that meets it (see dispatch)
    worker.on('message', (message: { id?: number; result?: PrepareResult }) => {
      if (message.id === undefined) return
      const job = this.running.get(worker)
      this.running.delete(worker)
      slot.busy = false
      worker.unref()
      if (job && job.id === message.id) job.resolve(message.result!)
      this.dispatch()
    })
    const fail = (error: Error) => {
      const job = this.running.get(worker)
      this.running.delete(worker)
      const index = this.slots.indexOf(slot)
      if (index >= 0) this.slots.splice(index, 1)
      job?.reject(error)
      if (!this.closed && this.queue.length > 0) this.dispatch()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`ingest worker exited (${code})`)))
    return slot
  }

  private dispatch(): void {
    if (this.closed) return
    if (this.slots.length < this.size) this.warm()
    for (const slot of this.slots) {
      if (this.queue.length === 0) return
      if (slot.busy) continue
      const job = this.queue.shift()!
      slot.busy = true
      this.running.set(slot.worker, job)
      slot.worker.ref()
      slot.ready.then(
        () => slot.worker.postMessage({ id: job.id, request: job.request }, [job.request.body.bytes.buffer as ArrayBuffer]),
        (error: Error) => {
          this.running.delete(slot.worker)
          job.reject(new Error(`ingest worker did not start: ${error.message}`))
        },
      )
    }
  }
}

/** One pool per process (like the ingest gate). */
export const preparePool = new PreparePool()
