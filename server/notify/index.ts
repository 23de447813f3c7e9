import type { AppContext, IngestEvent } from '../context'
import { evaluationDay } from '../rules/params'
import type { Channel } from './channels/channel'
import type { SinkEntry } from './channels/log'
import { createChannels, DEMO_SINK, readChannelConfigs, readNotifySettings, type ChannelConfig, type NotifySettings } from './config'
import { briefingEvent, briefingFigures, shanghaiClock } from './briefing'
import { enqueue, type OutboxStatus } from './outbox'
import { readCursor, writeCursor } from './cursor'
import { faultEvent, onFault, type Fault } from './sources/faults'
import { newestFlagStoredAt, readNewFlags } from './sources/flags'
import { overdueApprovals, overdueLedgerItems } from './sources/watchers'
import { feedHasStoredBatches } from './sources/feedInUse'
import { addSubscription, channelsFor, listSubscriptions } from './subscriptions'
import { EVENT_KINDS, type NotifyEvent } from './types'
import { startDeliveryWorker, type DeliveryWorker } from './worker'
import { overviewRenderer } from './overviewPng'
import { firstLine } from '../errorLine'

export { reportFault } from './sources/faults'
export { registerNotifyRoutes } from './routes'

export interface NotifyPart {
  channels: Map<string, Channel>
  settings: NotifySettings
  worker: DeliveryWorker
  /** The engine stored new flags: read them now rather than at the next poll. */
  flagsStored(): void
  /** Reads every source once now (flags; with `watch`, also ledger, approvals, feed); resolves when enqueued. */
  scan(options?: { watch?: boolean }): Promise<number>
  /** Enqueues the daily briefing of `day` for every briefing subscription; returns how many were new. */
  sendBriefings(day?: string): Promise<number>
  /** The schedule's check (every 30 s, and once at start): today's briefing once NOTIFY_BRIEFING_AT has passed. */
  checkBriefing(): Promise<number>
  /** Messages the demo log sink received (newest last). */
  sink(): SinkEntry[]
  outboxCounts(): Array<{ channel_id: string; status: OutboxStatus; n: number }>
  close(): Promise<void>
}

export interface NotifyOptions {
  env?: Record<string, string | undefined>
  /** Channels instead of NOTIFY_CHANNELS(_FILE) (tests). */
  channels?: ChannelConfig[]
  /** Evaluation date for ledger and approvals (default: the rule engine's). */
  today?: () => string
  /** Day and 'HH:MM' in Shanghai for the briefing schedule (default: the real clock). */
  clock?: () => { day: string; time: string }
  /**
   * Demo: with no channel configured, the log sink subscribes to the whole city (较大 and 重大, all
   * kinds) so a first `npm start` shows messages arriving in the log and at /api/admin/notify/sink.
   */
  demo?: boolean
}

/**
 * Flags, overdue ledger items, R17 reminders and escalations, a silent payment feed and server
 * faults reach people who are not looking at the wall: read from the data, routed by
 * subscriptions, written to the outbox, delivered by the worker.
 */
export async function startNotify(ctx: AppContext, options: NotifyOptions = {}): Promise<NotifyPart> {
  const env = options.env ?? process.env
  const settings = readNotifySettings(env, ctx.config.PORT)
  const configs = options.channels ?? readChannelConfigs(env)
  const { channels, redact } = createChannels(configs.length ? configs : [DEMO_SINK], settings, ctx.log)
  for (const channel of channels.values()) ctx.log.info(`notify channel ${channel.id}: ${channel.describe}, scope ${channel.scope}`)
  const renderOverview = settings.briefingPng ? overviewRenderer({ db: ctx.db, baseUrl: settings.publicUrl, chromium: settings.chromium }) : undefined
  if (settings.briefingPng && !renderOverview) ctx.log.warn(`notify: NOTIFY_BRIEFING_PNG is on but ${settings.chromium} is missing; briefings go without the picture`)
  const worker = startDeliveryWorker({ db: ctx.db, channels, settings, log: ctx.log, redact, renderOverview })
  const today = options.today ?? evaluationDay

  if (options.demo && configs.length === 0 && (await listSubscriptions(ctx.db)).length === 0) {
    await addSubscription(ctx.db, channels, { channel: DEMO_SINK.id, scope: DEMO_SINK.scope, minSeverity: 'warn', kinds: [...EVENT_KINDS] }, 'demo')
    ctx.log.info(`notify: demo sink subscribed to ${DEMO_SINK.scope} (set NOTIFY_CHANNELS_FILE for real channels); messages print here and at /api/admin/notify/sink`)
  }
  if (!(await readCursor(ctx.db, 'flags'))) await writeCursor(ctx.db, 'flags', await newestFlagStoredAt(ctx.db))

  let chain: Promise<unknown> = Promise.resolve()
  let stopped = false
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = chain.then(() => (stopped ? (undefined as T) : work()))
    chain = run.catch((error: unknown) => ctx.log.error(`notify: ${redact(firstLine(error))}`))
    return run
  }

  async function route(events: NotifyEvent[]): Promise<number> {
    if (events.length === 0) return 0
    const subscriptions = await listSubscriptions(ctx.db)
    const routed = events.map((event) => ({ event, channels: channelsFor(event, subscriptions, channels) })).filter((r) => r.channels.length > 0)
    const added = await enqueue(ctx.db, routed)
    if (added > 0) worker.poke()
    return added
  }

  async function scanFlags(): Promise<number> {
    const cursor = (await readCursor(ctx.db, 'flags'))!
    // No overlap is needed: the rule engine writes flags one insert after another, so a flag that
    // is not visible yet was stored after every visible one and is still beyond the cursor.
    const { events, position } = await readNewFlags(ctx.db, cursor)
    const added = await route(events)
    if (position && position > cursor) await writeCursor(ctx.db, 'flags', position)
    return added
  }

  // Feed silence: measured from the last payments batch this process saw. A feed that has stored
  // batches before is expected from the start, so a restart in the middle of a silence still
  // notices it (after a full NOTIFY_FEED_SILENT_MINUTES: the server's own downtime is not the
  // feed's fault). A feed never used (bank files only) raises no alarm.
  let lastPaymentsAt = (await feedHasStoredBatches(ctx.db, 'payments')) ? Date.now() : 0
  const onIngest = (event: IngestEvent) => {
    if (event.feed === 'payments' && event.rows > 0) lastPaymentsAt = Date.now()
  }
  ctx.onIngest.push(onIngest)

  async function watch(): Promise<number> {
    const day = today()
    let added = await route(await overdueLedgerItems(ctx.db, day))
    added += await route(await overdueApprovals(ctx.db, day))
    if (lastPaymentsAt && Date.now() - lastPaymentsAt > settings.feedSilentMs) {
      const minutes = Math.round((Date.now() - lastPaymentsAt) / 60_000)
      added += await route([faultEvent({ source: 'feed', key: 'payments', message: `已 ${minutes} 分钟没有收到支付明细`, episode: String(lastPaymentsAt) })])
    }
    return added
  }

  onFault(ctx, (fault: Fault) => void serial(() => route([faultEvent({ ...fault, message: redact(fault.message) })])))

  async function sendBriefings(day = shanghaiClock().day): Promise<number> {
    const subscriptions = (await listSubscriptions(ctx.db)).filter((s) => s.kinds.includes('briefing'))
    const events: NotifyEvent[] = []
    for (const scope of new Set(subscriptions.map((s) => s.scope))) events.push(briefingEvent(scope, day, await briefingFigures(ctx.db, scope, day)))
    return route(events)
  }

  const clock = options.clock ?? (() => shanghaiClock())
  let lastBriefingDay = ''
  function checkBriefing(): Promise<number> {
    const { day, time } = clock()
    if (time < settings.briefingAt || lastBriefingDay === day) return Promise.resolve(0)
    lastBriefingDay = day
    // The outbox key holds the day, so a restart after the hour does not send it twice.
    return serial(() => sendBriefings(day))
  }

  const flagTimer = setInterval(() => void serial(scanFlags), Math.max(settings.pollMs * 5, 1000))
  const watchTimer = setInterval(() => void serial(watch), settings.watchEveryMs)
  const briefingTimer = setInterval(() => void checkBriefing(), 30_000)
  // At start too: a server (re)started after the hour sends today's briefing now, not 30 s later.
  void checkBriefing()
  // A first look soon after start, not a whole watch interval later.
  const firstWatch = setTimeout(() => void serial(watch), Math.min(settings.watchEveryMs, 10_000))
  for (const timer of [flagTimer, watchTimer, briefingTimer, firstWatch]) timer.unref()

  const counts = () => worker.counts()
  ctx.healthExtras.push(() => ['notify', {
    channels: channels.size,
    failed: counts().filter((c) => c.status === 'failed').reduce((sum, c) => sum + c.n, 0),
    pending: counts().filter((c) => c.status === 'pending' || c.status === 'sending').reduce((sum, c) => sum + c.n, 0),
    ...worker.stats,
  }])

  return {
    channels,
    settings,
    worker,
    flagsStored: () => void serial(scanFlags),
    scan: ({ watch: alsoWatch = false } = {}) => serial(async () => (await scanFlags()) + (alsoWatch ? await watch() : 0)),
    sendBriefings: (day) => serial(() => sendBriefings(day)),
    checkBriefing,
    sink: () => [...channels.values()].flatMap((c) => ('received' in c ? (c as Channel & { received: SinkEntry[] }).received : [])),
    outboxCounts: counts,
    async close() {
      stopped = true
      for (const timer of [flagTimer, watchTimer, briefingTimer]) clearInterval(timer)
      clearTimeout(firstWatch)
      onFault(ctx, null)
      const index = ctx.onIngest.indexOf(onIngest)
      if (index >= 0) ctx.onIngest.splice(index, 1)
      await chain
      await worker.stop()
      for (const channel of channels.values()) channel.close?.()
    },
  }
}
