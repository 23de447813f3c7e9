import fs from 'node:fs'
import { Worker } from '../children'
import type { Sent } from '../workers/sender'
import type { BenchSection, Figure } from './types'

/** Sockets knocking at once (issue: 20,000 sockets, ingest still 200, no EMFILE). */
const KNOCKING = 20_000
const KNOCKER_PROCESSES = 4
/** Sockets a knocker opens at once: each wave fits the server's listen backlog (511). */
const WAVE = 250
const INGEST_BATCHES = 5

/**
 * More sockets than the server has descriptors for (its open-files limit, 20,000 on our machines)
 * knock at the bench's server, from client processes of their own. The server holds its socket cap
 * and refuses the rest with the reason the wall shows (SOCKETS_FULL); meanwhile ingest must answer
 * 200 and nothing in the server's log may say EMFILE. Figures: held, refused, dropped; the server's
 * descriptors and memory with the sockets held; ingest answers.
 */
export const sockets: BenchSection = {
  id: 'sockets',
  title: `Sockets: ${KNOCKING.toLocaleString('en')} knocking at once; ingest meanwhile; no EMFILE`,
  async run(context) {
    const { server, log } = context
    const knockers = Array.from({ length: KNOCKER_PROCESSES }, (_, i) => Worker.start('knocker', `knocker-${i}`))
    const sender = Worker.start('sender')
    try {
      const logBefore = fs.statSync(server.logFile).size
      const rssBefore = rssMb(server.pid)
      const started = Date.now()
      const per = KNOCKING / KNOCKER_PROCESSES
      const knocking = knockers.map((knocker) => knocker.request<{ connected: number; full: number; dropped: number }>('knock', { url: server.url, token: server.displayToken, count: per, wave: WAVE }))
      // ingest while the sockets knock: a batch every 2 s
      const sending = sender.request<Sent[]>('markers', { url: server.url, token: server.ingestToken, runId: context.runId, firstBatch: context.takeBatchNumbers(INGEST_BATCHES), batches: INGEST_BATCHES, rows: 10, intervalMs: 2_000 })
      const counts = (await Promise.all(knocking)).reduce((sum, c) => ({ connected: sum.connected + c.connected, full: sum.full + c.full, dropped: sum.dropped + c.dropped }))
      const knockMs = Date.now() - started
      const duringFlood = await sending
      // and with every held socket open
      const afterFlood = await sender.request<Sent[]>('markers', { url: server.url, token: server.ingestToken, runId: context.runId, firstBatch: context.takeBatchNumbers(INGEST_BATCHES), batches: INGEST_BATCHES, rows: 10, intervalMs: 500 })
      const held = (await Promise.all(knockers.map((knocker) => knocker.request<number>('stillConnected')))).reduce((a, b) => a + b, 0)
      const descriptors = fs.readdirSync(`/proc/${server.pid}/fd`).length
      const rssHeld = rssMb(server.pid)
      const health = await server.health()
      const serverLog = readFrom(server.logFile, logBefore)
      const emfile = (serverLog.match(/EMFILE|too many open files/gi) ?? []).length
      const capLine = /open files: .*/.exec(fs.readFileSync(server.logFile, 'utf8'))?.[0] ?? '—'
      const statuses = (sent: Sent[]) => [...new Set(sent.map((batch) => batch.status))].join(', ')
      log(`sockets: ${counts.connected} held, ${counts.full} refused (full), ${counts.dropped} dropped in ${Math.round(knockMs / 1000)} s; ingest ${statuses(duringFlood)} / ${statuses(afterFlood)}; EMFILE lines ${emfile}`)
      // Counts, not times: a loaded machine (the knockers are on it too) does not change them, so
      // they print always (as ratios do); memory and the time to knock are absolute figures.
      const counted: Figure[] = [
        { label: 'server start-up line', value: capLine },
        { label: `${KNOCKING.toLocaleString('en')} sockets knocking: held / refused with the reason / dropped`, value: `${counts.connected} / ${counts.full} / ${counts.dropped}` },
        { label: 'held sockets still connected at the end', value: String(held) },
        { label: `ingest answers during the flood / with the sockets held (${INGEST_BATCHES} batches each)`, value: `${statuses(duringFlood)} / ${statuses(afterFlood)}` },
        { label: 'EMFILE or "too many open files" in the server log meanwhile', value: String(emfile) },
        { label: 'server descriptors open with the sockets held', value: String(descriptors) },
        { label: 'live clients in /api/health', value: String(health.live?.clients ?? '—') },
      ]
      const absolute: Figure[] = [{ label: 'server RSS with the sockets held (before)', value: `${rssHeld} MB (${rssBefore} MB)` }]
      return { absolute, ratios: counted, data: { counts, knockMs, held, duringFlood, afterFlood, emfile, descriptors, rssBefore, rssHeld, capLine } }
    } finally {
      await Promise.all(knockers.map((knocker) => knocker.request('close').catch(() => undefined)))
      await Promise.all([...knockers, sender].map((worker) => worker.stop()))
    }
  },
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Math.round(Number(kb ?? 0) / 1024)
}

/** The file's text from byte `offset` on (what the server logged during the section). */
function readFrom(file: string, offset: number): string {
  const fd = fs.openSync(file, 'r')
  try {
    const size = fs.fstatSync(fd).size
    const buffer = Buffer.alloc(Math.max(0, size - offset))
    fs.readSync(fd, buffer, 0, buffer.length, offset)
    return buffer.toString('utf8')
  } finally {
    fs.closeSync(fd)
  }
}
