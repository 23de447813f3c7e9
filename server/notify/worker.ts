import crypto from 'node:crypto'
import type { Db } from '../db/client'
import type { Logger } from '../context'
import type { Channel, OutgoingMessage, SendOutcome } from './channels/channel'
import type { NotifySettings } from './config'
import { digestMessage, singleMessage } from './message'
import { countByStatus, duePending, leftSending, nextDueAt, writeStates, type OutboxHolds, type OutboxRow, type OutboxStatus } from './outbox'
import type { NotifyEvent } from './types'
import type { OverviewRenderer } from './overviewPng'
import { beijingDateTimeMs, msFromBeijing } from '../beijingTime'
import { firstLine } from '../errorLine'

/** One message to send: a single row, or many rows in one digest. */
interface Unit {
  key: string
  channel: Channel
  rows: OutboxRow[]
  digest: boolean
  /** Claimed by a process that died: it may have arrived already, so it says so. */
  resent?: boolean
}

interface ChannelWindow {
  startedAt: number
  singles: number
  digestSent: boolean
  pausedUntil: number
}

export interface WorkerStats {
  delivered: number
  digests: number
  failedAttempts: number
  gaveUp: number
  rateLimited: number
  resentAfterRestart: number
  lastError: string | null
  lastErrorAt: string | null
  lastPassAt: string | null
  /** passes run so far (each reads the outbox: a held outbox must not be read every poll) */
  passes: number
}

export interface DeliveryWorker {
  /** Something was enqueued: look now instead of at the next poll. */
  poke(): void
  /** One pass now (tests); resolves when its sends are done. */
  runOnce(): Promise<void>
  stats: WorkerStats
  /** Rows by channel and status as of the last pass (for /api/health). */
  counts(): Array<{ channel_id: string; status: OutboxStatus; n: number }>
  stop(): Promise<void>
}

const BATCH_LIMIT = 20_000
const RESENT_NOTE = '（重发：服务重启前可能已送达，编号相同即同一条）'

/** Groups in place (a storm's 20,000 rows must not be copied once per row). */
function pushTo<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key)
  if (list) list.push(item)
  else map.set(key, [item])
}

/** Robots cannot drop a repeat by key; a person reading it can, if the message says so. */
function markResent(message: OutgoingMessage): OutgoingMessage {
  return { ...message, text: `${message.text}\n${RESENT_NOTE}`, markdown: `${message.markdown}\n\n${RESENT_NOTE}`, html: `${message.html}<p>${RESENT_NOTE}</p>` }
}
const MAX_BACKOFF_MS = 3600_000
const IDLE_CHECK_MS = 30_000

/**
 * Delivers the outbox. Every message is first claimed durably (status 'sending' with its batch key)
 * and only then sent; its outcome is written after. A process killed in between leaves 'sending'
 * rows: the next start sends them again as the same message with the same key, so nothing claimed
 * is ever lost, and a receiver that keeps keys (webhook Idempotency-Key, email Message-ID) sees it
 * once. Per channel and interval at most `maxSinglesPerInterval` single messages go out; beyond
 * that the rest become one digest per interval. A channel that answers "too fast" is paused.
 */
export function startDeliveryWorker(options: {
  db: Db
  channels: Map<string, Channel>
  settings: NotifySettings
  log: Logger
  redact: (text: string) => string
  /** Renders the overview of a region as PNG for briefing emails (off when unset). */
  renderOverview?: OverviewRenderer
}): DeliveryWorker {
  const { db, channels, settings, log, redact } = options
  const windows = new Map<string, ChannelWindow>()
  const stats: WorkerStats = { delivered: 0, digests: 0, failedAttempts: 0, gaveUp: 0, rateLimited: 0, resentAfterRestart: 0, lastError: null, lastErrorAt: null, lastPassAt: null, passes: 0 }
  let recovered = false
  const resentKeys = new Set<string>()
  let stopped = false
  let chain: Promise<void> = Promise.resolve()
  let queued: Promise<void> | null = null
  let nextCheckAt = 0
  let countedAt = 0
  let counts: Array<{ channel_id: string; status: OutboxStatus; n: number }> = []

  function windowOf(channelId: string, now: number): ChannelWindow {
    let window = windows.get(channelId)
    if (!window) {
      window = { startedAt: now, singles: 0, digestSent: false, pausedUntil: 0 }
      windows.set(channelId, window)
    }
    if (now - window.startedAt >= settings.digestIntervalMs) Object.assign(window, { startedAt: now, singles: 0, digestSent: false })
    return window
  }

  /**
   * Rows that cannot go now: every row of a paused channel, and new rows of a channel whose digest
   * of this interval went (a retry is the same message again and still goes). `until`: the
   * earliest end of a hold.
   */
  function holds(now: number): OutboxHolds {
    const held: OutboxHolds = { paused: [], digested: [], until: Infinity }
    for (const id of channels.keys()) {
      // A channel's interval starts with its first message: looking must not start one.
      if (!windows.has(id)) continue
      const window = windowOf(id, now)
      if (window.pausedUntil > now) {
        held.paused.push(id)
        held.until = Math.min(held.until, window.pausedUntil)
      } else if (window.digestSent) {
        held.digested.push(id)
        held.until = Math.min(held.until, window.startedAt + settings.digestIntervalMs)
      }
    }
    return held
  }

  function digestKey(channelId: string, rows: OutboxRow[]): string {
    const hash = crypto.createHash('sha256').update(rows.map((r) => r.delivery_key).sort().join('\n')).digest('hex').slice(0, 16)
    return `digest:${channelId}:${hash}`
  }

  /** Splits one channel's due rows into messages for this pass. */
  function plan(channel: Channel, rows: OutboxRow[], now: number): Unit[] {
    const units: Unit[] = []
    const byBatch = new Map<string, OutboxRow[]>()
    const fresh: OutboxRow[] = []
    for (const row of rows) {
      if (row.batch_key) pushTo(byBatch, row.batch_key, row)
      else fresh.push(row)
    }
    // A retry is the same message again (same key), whatever the window says.
    for (const [key, batch] of byBatch) units.push({ key, channel, rows: batch, digest: key.startsWith('digest:') })
    const window = windowOf(channel.id, now)
    const briefings = fresh.filter((row) => row.kind === 'briefing')
    const others = fresh.filter((row) => row.kind !== 'briefing')
    for (const row of briefings) units.push({ key: row.delivery_key, channel, rows: [row], digest: false })
    if (others.length === 0) return units
    if (!window.digestSent && window.singles + others.length <= settings.maxSinglesPerInterval) {
      window.singles += others.length
      for (const row of others) units.push({ key: row.delivery_key, channel, rows: [row], digest: false })
    } else if (!window.digestSent) {
      window.digestSent = true
      units.push({ key: digestKey(channel.id, others), channel, rows: others, digest: true })
    }
    // else: this interval already had its digest; the rows wait for the next interval.
    return units
  }

  function messageOf(unit: Unit): OutgoingMessage {
    const events = unit.rows.map((row) => JSON.parse(row.payload) as NotifyEvent)
    const message = unit.digest ? digestMessage(unit.key, events, settings.publicUrl) : singleMessage(unit.key, events[0], settings.publicUrl)
    // A resend pushed back by a rate limit is still a resend when it finally goes.
    if (unit.resent) resentKeys.add(unit.key)
    return resentKeys.has(unit.key) ? markResent(message) : message
  }

  /** A briefing email carries the overview of its region; without the picture it still goes. */
  async function withPicture(unit: Unit, message: OutgoingMessage): Promise<OutgoingMessage> {
    const event = message.events[0]
    if (!options.renderOverview || unit.channel.type !== 'email' || unit.digest || event?.kind !== 'briefing') return message
    try {
      const png = await options.renderOverview(event.regionCode)
      return {
        ...message,
        html: `${message.html}<p><img src="cid:overview" alt="总览" style="max-width:100%"></p>`,
        attachments: [{ filename: `overview-${event.regionCode}.png`, content: png, cid: 'overview' }],
      }
    } catch (error) {
      log.warn(`notify: overview picture for ${event.regionCode} not rendered (${redact(firstLine(error))}); briefing sent without it`)
      return message
    }
  }

  async function deliver(unit: Unit): Promise<void> {
    const claimed = await writeStates(db, unit.rows.map((row) => ({ ...row, attempts: row.attempts + 1 })), { status: 'sending', batch_key: unit.key })
    const attempts = claimed.map((row) => row.attempts)
    let outcome: SendOutcome
    try {
      outcome = await unit.channel.send(await withPicture(unit, messageOf(unit)))
    } catch (error) {
      outcome = { ok: false, error: firstLine(error) }
    }
    const now = Date.now()
    if (outcome.ok) {
      await writeStates(db, claimed, { status: 'delivered', delivered_at: beijingDateTimeMs(now), last_error: '' })
      stats.delivered += unit.rows.length
      if (unit.digest) stats.digests += 1
      return
    }
    const reason = redact(outcome.error).slice(0, 300)
    stats.lastError = `${unit.channel.id}: ${reason}`
    stats.lastErrorAt = new Date(now).toISOString()
    if (outcome.rateLimitedMs !== undefined) {
      // The receiver's limit, not a fault: no attempt is counted and the whole channel waits.
      stats.rateLimited += 1
      windowOf(unit.channel.id, now).pausedUntil = now + outcome.rateLimitedMs
      await writeStates(db, claimed.map((row) => ({ ...row, attempts: row.attempts - 1 })), { status: 'pending', next_attempt_at: beijingDateTimeMs(now + outcome.rateLimitedMs), last_error: reason })
      log.warn(`notify ${unit.channel.id}: receiver asks to slow down (${reason}); paused ${Math.round(outcome.rateLimitedMs / 1000)} s`)
      return
    }
    stats.failedAttempts += 1
    const tried = Math.max(...attempts)
    if (tried >= settings.maxAttempts) {
      stats.gaveUp += unit.rows.length
      await writeStates(db, claimed, { status: 'failed', last_error: reason })
      log.error(`notify ${unit.channel.id}: gave up on ${unit.key} after ${tried} attempts (${reason})`)
      return
    }
    const backoff = Math.min(settings.backoffBaseMs * 2 ** (tried - 1), MAX_BACKOFF_MS)
    await writeStates(db, claimed, { status: 'pending', next_attempt_at: beijingDateTimeMs(now + backoff), last_error: reason })
    log.warn(`notify ${unit.channel.id}: attempt ${tried} of ${unit.key} failed (${reason}); next in ${Math.round(backoff / 1000)} s`)
  }

  async function deliverChannel(units: Unit[]): Promise<void> {
    for (const unit of units) {
      if (stopped) return
      const window = windowOf(unit.channel.id, Date.now())
      if (window.pausedUntil > Date.now()) return
      await deliver(unit)
    }
  }

  function group(rows: OutboxRow[]): Map<string, OutboxRow[]> {
    const byChannel = new Map<string, OutboxRow[]>()
    for (const row of rows) pushTo(byChannel, row.channel_id, row)
    return byChannel
  }

  async function pass(): Promise<void> {
    const now = Date.now()
    stats.lastPassAt = new Date(now).toISOString()
    stats.passes += 1
    const units: Unit[] = []
    if (!recovered) {
      // Claimed by a process that died: send again as the same messages (same keys).
      const left = await leftSending(db, BATCH_LIMIT)
      for (const [channelId, rows] of group(left)) {
        const channel = channels.get(channelId)
        if (!channel) continue
        const batches = new Map<string, OutboxRow[]>()
        for (const row of rows) pushTo(batches, row.batch_key, row)
        for (const [key, batch] of batches) units.push({ key, channel, rows: batch, digest: key.startsWith('digest:'), resent: true })
      }
      stats.resentAfterRestart += left.length
      if (left.length) log.warn(`notify: ${left.length} message row(s) were being sent when the server stopped; sending them again with their keys`)
      recovered = true
    }
    const due = await duePending(db, now, BATCH_LIMIT, holds(now))
    for (const [channelId, rows] of group(due)) {
      const channel = channels.get(channelId)
      if (!channel) {
        await writeStates(db, rows, { status: 'failed', last_error: `channel ${channelId} is no longer configured` })
        continue
      }
      units.push(...plan(channel, rows, now))
    }
    const byChannel = new Map<string, Unit[]>()
    for (const unit of units) pushTo(byChannel, unit.channel.id, unit)
    await Promise.all([...byChannel.values()].map((list) => deliverChannel(list)))
    // Look again when the next retry is due or a hold ends, else in 30 s: an idle outbox costs one
    // read every 30 s, not one per poll. Held rows are left out of the reads: with a digest sent
    // and thousands of rows waiting for the next interval, reading them every poll cost a busy
    // wall most of a core (at 389k outbox rows). New rows still look at once (poke). A pass that
    // met the batch limit looks again at the next poll: more rows may be sendable now.
    if (units.length > 0 || Date.now() - countedAt >= IDLE_CHECK_MS) {
      counts = await countByStatus(db)
      countedAt = Date.now()
    }
    const held = holds(Date.now())
    const nextDue = await nextDueAt(db, held)
    const soonest = Date.now() + settings.pollMs
    const wakeAt = Math.min(nextDue ? msFromBeijing(nextDue) : Infinity, held.until, Date.now() + IDLE_CHECK_MS)
    nextCheckAt = due.length >= BATCH_LIMIT ? soonest : Math.max(wakeAt, soonest)
  }

  /** Passes never overlap; a call while one is queued (not started yet) joins it. */
  function runOnce(): Promise<void> {
    if (queued) return queued
    const run: Promise<void> = chain.then(async () => {
      queued = null
      if (stopped) return
      await pass().catch((error: unknown) => {
        stats.lastError = redact(`worker: ${firstLine(error)}`)
        stats.lastErrorAt = new Date().toISOString()
        log.error(`notify ${stats.lastError}`)
      })
    })
    queued = run
    chain = run
    return run
  }

  const timer = setInterval(() => {
    if (Date.now() >= nextCheckAt) void runOnce()
  }, settings.pollMs)
  timer.unref()

  return {
    poke: () => void runOnce(),
    counts: () => counts,
    runOnce,
    stats,
    async stop() {
      stopped = true
      clearInterval(timer)
      await chain
    },
  }
}
