import type { Dashboard, PanelData, ThemeId } from '../../dashboards/types'
import { roomName } from '../../dashboards/types'
import type { Db } from '../db/client'
import type { Logger } from '../context'
import type { DataKind } from '../metrics/define'
import type { MetricRegistry } from '../metrics/registry'
import { ADDITIVE_METRICS, AdditiveState } from './additive'
import { ChangeClock } from './changes'
import { computeAndApply, computeRooms, type RoomResult } from './compute'
import { IngestLatency, LatencyRing } from './latency'
import { MetricMemo } from './memo'
import { Room, type LivePanel } from './room'

export interface Theme {
  dashboard: Dashboard
  panels: LivePanel[]
}

export interface SchedulerOptions {
  /** Regions whose rooms are kept warm for every theme (city, counties, towns). */
  warmRegions: string[]
  /** Every panel of every room is recomputed at least this often: "today" and 序时进度 move with the clock. */
  refreshEveryMs: number
  /** New data starts a pass this long after it arrives (a burst of batches makes one pass). */
  changeDebounceMs: number
  /** How often the scheduler looks for due work without new data (held-back panels, the clock). */
  tickMs: number
  /**
   * With `dataFingerprint`: a clock refresh finding the fingerprint (the day and every table's
   * version) as at the theme's last full computation is skipped, except once per this many ms
   * (the drift check: a full recompute whatever the fingerprint says). Default 10 min.
   */
  driftCheckMs?: number
  /**
   * New data reaches a theme no screen watches at most this often (ms, default 10 s): its rooms
   * are kept warm for the next subscriber, who gets them computed at once if data moved since
   * (`ensure`). Watched themes are computed on every batch. 0: every theme on every batch.
   */
  unwatchedEveryMs?: number
  /**
   * A panel reading payments that the additive figures do not feed (persons, maps, budget: the
   * queries) is recomputed for new payments at most this often (ms, default 0: on every batch).
   * A feed storing a batch every second or two would otherwise keep the engine busy with the same
   * selects back to back; the KPIs still follow every batch (quick pushes). The first batch after
   * a quiet spell goes at once; batches within the interval make one recompute at its end.
   */
  fedEveryMs?: number
}

interface ThemeState extends Theme {
  /** Data versions when the theme was last looked at by a pass; undefined before its first. */
  seen: ReadonlyMap<DataKind, number> | undefined
  /** When every panel was last recomputed, or a clock refresh found nothing changed (first pass and the clock refresh). */
  lastFullAt: number
  /** When every panel was last really recomputed, and the data fingerprint read before it. */
  recomputedAt: number
  fingerprint: string | undefined
  /** When each panel was last computed (ms), for metrics with a minRefreshMs. */
  panelComputedAt: Map<string, number>
  /** Panels with new data held back by their minRefreshMs, and when they are due (ms). */
  deferred: Map<string, number>
  computeMs: LatencyRing
  /** When a pass last looked at the theme (ms). */
  lastLookedAt: number
  /** Due panels not computed yet (the queries part), and since when. */
  pending: LivePanel[]
  pendingSince: number
  /** Whether the rooms' computation since the last look was counted. */
  counted: boolean
}

/** Metrics whose reads are the additive figures' three selects (additive.ts). */
const ADDITIVE_PRIMERS = ['payments.total', 'payments.todayAmount', 'payments.failedOpen']

/** A theme with due panels waits at most this long behind the watched ones. */
const STARVED_MS = 5000

/**
 * Keeps every room warm. Rooms of every theme × warm region exist from the start; passes compute
 * them whether or not a screen watches, one theme at a time and all its rooms at once. A pass
 * starts on new data (debounced), on held-back panels coming due and on the clock refresh; passes
 * never overlap, and data arriving during one starts the next right after it.
 */
export class LiveScheduler {
  readonly rooms = new Map<string, Room>()
  readonly clock = new ChangeClock()
  readonly passMs = new LatencyRing(200)
  readonly additive: AdditiveState
  private readonly themes = new Map<ThemeId, ThemeState>()
  passes = 0
  computations = 0
  /** True until the first pass has computed every warm room. */
  warming = true
  warmupMs: number | null = null
  private readonly startedAt = Date.now()
  private running: Promise<void> | undefined
  private again = false
  private closed = false
  private soonTimer: ReturnType<typeof setTimeout> | undefined
  private quickTimer: ReturnType<typeof setTimeout> | undefined
  /**
   * Regions (every level) of the payments added to the held figures since the last quick push;
   * null: not known, push every room. A region no batch touched keeps its figures and its 数据截至
   * (both are its own sums), so its rooms are left alone: recomputing and comparing all 534 rooms
   * for a 10-row batch was most of the hub's JS under a steady feed.
   */
  private quickRegions: Set<string> | null = new Set()
  private tickTimer: ReturnType<typeof setInterval> | undefined
  /** The fingerprint read at the start of the current pass (stored by the themes it refreshes). */
  private passFingerprint: string | undefined
  private checkingClock = false
  /** Clock refreshes skipped because no table (nor the day) changed. */
  refreshesSkipped = 0
  /** Drift checks of the held additive figures that replaced them (a read no batch overlapped). */
  additiveRechecks = 0
  /** Rooms computed by quick pushes (a batch's own regions only). */
  quickRooms = 0

  constructor(
    private readonly deps: {
      db: Db
      registry: MetricRegistry
      log: Logger
      latency: IngestLatency
      /** Sends a room's changed panels to its subscribers. */
      emit: (room: Room, changed: Record<string, PanelData>) => void
      subscribers: (room: Room) => number
      ingestWatch?: () => { started: number; running: number } | undefined
      /**
       * The day and every table's version, as one string: equal strings, same data. Lets an idle
       * wall skip the clock refresh of all its rooms (534 warm rooms every minute, for nothing).
       */
      dataFingerprint?: () => Promise<string>
    },
    themes: Theme[],
    private readonly options: SchedulerOptions,
  ) {
    this.additive = new AdditiveState(new Set(options.warmRegions), options.refreshEveryMs, deps.ingestWatch)
    for (const theme of themes) {
      const id = theme.dashboard.id as ThemeId
      this.themes.set(id, { ...theme, seen: undefined, lastFullAt: 0, recomputedAt: 0, fingerprint: undefined, panelComputedAt: new Map(), deferred: new Map(), computeMs: new LatencyRing(500), lastLookedAt: 0, pending: [], pendingSince: 0, counted: false })
      for (const region of options.warmRegions) this.rooms.set(roomName(id, region), new Room(theme.dashboard, region, theme.panels, true))
    }
  }

  start(): void {
    this.soon(0)
    this.tickTimer = setInterval(() => {
      const now = Date.now()
      if (!this.hasDueWork(now)) return
      if (this.clockOnly(now).length > 0 && this.deps.dataFingerprint) void this.skipIdleRefresh()
      else this.soon(0)
    }, this.options.tickMs)
  }

  /** True while the hub has engine work under way or about to start (the engine lane's busy signal). */
  busy(): boolean {
    if (this.running || this.soonTimer || this.quickTimer) return true
    for (const room of this.rooms.values()) if (room.inflight) return true
    return false
  }

  /**
   * Themes due only for the clock refresh: computed before, no new data, no held-back panel due.
   * Any other due work makes the list empty (the pass goes as before).
   */
  private clockOnly(now: number): ThemeState[] {
    const themes: ThemeState[] = []
    for (const theme of this.themes.values()) {
      if (!this.themeHasDue(theme, now)) continue
      if (!theme.seen || theme.pending.length > 0 || this.themeHasChanges(theme, now)) return []
      themes.push(theme)
    }
    return themes
  }

  /**
   * The clock refresh of an idle wall: when the fingerprint is the one read before the theme's
   * last full computation (same day, no table moved) and the drift check is not due, every room
   * would show what it shows: the refresh is noted as done without a query. Otherwise a pass runs.
   */
  private async skipIdleRefresh(): Promise<void> {
    if (this.checkingClock || this.running || this.closed) return
    this.checkingClock = true
    try {
      const fingerprint = await this.deps.dataFingerprint!().catch(() => undefined)
      const now = Date.now()
      const driftCheckMs = this.options.driftCheckMs ?? 600_000
      for (const theme of this.clockOnly(now)) {
        if (fingerprint === undefined || theme.fingerprint !== fingerprint || now - theme.recomputedAt >= driftCheckMs) continue
        theme.lastFullAt = now
        this.refreshesSkipped += 1
      }
    } finally {
      this.checkingClock = false
    }
    if (this.hasDueWork(Date.now())) this.soon(0)
  }

  /** The room of (theme, region): a warm one, or one made for a region not kept warm (a village). */
  room(theme: ThemeId, region: string): Room | undefined {
    const name = roomName(theme, region)
    let room = this.rooms.get(name)
    const state = this.themes.get(theme)
    if (!room && state) this.rooms.set(name, (room = new Room(state.dashboard, region, state.panels, false)))
    return room
  }

  /**
   * Resolves once the room holds data. A room that holds data resolves at once; a room the passes
   * have not reached yet (start-up) or do not keep (a village) is computed alone, once.
   */
  async ensure(room: Room): Promise<void> {
    const theme = this.themes.get(room.dashboard.id as ThemeId)!
    if (room.computedAt) {
      // Answered from memory, never after a query: a rotating wall subscribes to its next theme
      // and must not wait. A theme nobody watched may hold data older than the last batch
      // (unwatchedEveryMs): it is made due now, and the pass sends its subscriber the update.
      if (room.warm && this.themeHasChanges(theme, Date.now())) {
        theme.lastLookedAt = 0
        this.soon(0)
      }
      return
    }
    room.inflight ??= (async () => {
      const startedAt = Date.now()
      const memo = new MetricMemo(this.deps.db, this.deps.registry)
      const [result] = await computeRooms(memo, [room], theme.panels, (r, what, error) => this.logOnce(r, what, error))
      this.apply(result, startedAt)
    })().finally(() => {
      room.inflight = undefined
    })
    await room.inflight
  }

  /**
   * New data of `kind`. New payments whose batch was not added to the additive figures
   * (`applied` false: another writer, a recovered delivery) make the next pass read them again.
   */
  markChanged(kind: DataKind, applied = false, regions?: Iterable<string>): void {
    if (kind === 'payments' && !applied) this.additive.invalidate()
    this.clock.mark(kind)
    if (kind === 'payments' && applied) {
      if (regions && this.quickRegions) for (const region of regions) this.quickRegions.add(region)
      else this.quickRegions = null
      this.quickSoon()
    }
    this.soon(this.options.changeDebounceMs)
  }

  /**
   * A batch added to the held figures goes to the KPIs at once, beside any pass in progress: those
   * panels need no query, so they never wait behind a theme's queries. (The pass looks at them
   * again and finds nothing new to send.)
   */
  private quickSoon(): void {
    if (this.closed || this.warming || this.quickTimer) return
    this.quickTimer = setTimeout(() => {
      this.quickTimer = undefined
      const touched = this.quickRegions
      this.quickRegions = new Set()
      if (this.closed || !this.additive.complete) return
      const startedAt = Date.now()
      const memo = new MetricMemo(this.deps.db, this.deps.registry, this.options.warmRegions, this.additive.seed())
      const themes = [...this.themes.values()].map((theme) => ({
        theme,
        panels: theme.panels.filter(({ metric }) => ADDITIVE_METRICS.has(metric.name) && !metric.minRefreshMs),
        rooms: this.roomsOf(theme),
      }))
      // watched rooms first: the work is in JS (hundreds of rooms), and screens should not wait for it
      void (async () => {
        for (const watched of [true, false])
          for (const { panels, rooms } of themes) {
            const part = rooms.filter((room) => (this.deps.subscribers(room) > 0) === watched && (touched === null || touched.has(room.region)))
            // rooms of untouched regions: the batch changed nothing there (settles their latency wait)
            if (touched !== null)
              for (const room of rooms) if (!touched.has(room.region) && (this.deps.subscribers(room) > 0) === watched) this.deps.latency.computed(room.name, startedAt, false)
            // A theme with no additive panel still gets its rooms' new 数据截至 (from the held
            // figures, no query): its screens see the batch arrive while its query panels wait.
            if (part.length === 0) continue
            await computeAndApply(memo, part, panels, (room, what, error) => this.logOnce(room, what, error), (result) => this.apply(result, startedAt, false))
            this.quickRooms += part.length
          }
      })()
    }, this.options.changeDebounceMs)
  }

  stats() {
    return {
      warming: this.warming,
      warmupMs: this.warmupMs,
      passes: this.passes,
      passMs: this.passMs.summary(),
      themeMs: Object.fromEntries([...this.themes].map(([id, theme]) => [id, theme.computeMs.summary()])),
      rooms: { total: this.rooms.size, warm: [...this.rooms.values()].filter((room) => room.warm).length },
    }
  }

  /** Nothing computing, due or held back: every room shows the data as it is now. */
  idle(): boolean {
    const now = Date.now()
    if (this.running || this.soonTimer || this.quickTimer || this.hasDueWork(now)) return false
    for (const theme of this.themes.values()) if (theme.deferred.size > 0 || this.themeHasChanges(theme, now)) return false
    return [...this.rooms.values()].every((room) => !room.inflight)
  }

  themeComputeMs(): Record<string, ReturnType<LatencyRing['summary']>> {
    return Object.fromEntries([...this.themes].map(([id, theme]) => [id, theme.computeMs.summary()]))
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.soonTimer)
    clearTimeout(this.quickTimer)
    clearInterval(this.tickTimer)
    await this.running
    await Promise.all([...this.rooms.values()].map((room) => room.inflight))
  }

  /** Runs a pass after `delayMs` unless one is already waiting; during a pass, once more after it. */
  private soon(delayMs: number): void {
    if (this.closed) return
    if (this.running) {
      this.again = true
      return
    }
    this.soonTimer ??= setTimeout(() => {
      this.soonTimer = undefined
      void this.pass()
    }, delayMs)
  }

  /**
   * One pass, while anything is due: first the panels the additive figures feed, for every theme
   * with new data (no query once the figures are held), then the rest of one theme (maps, persons,
   * budget: the queries), then again. A batch arriving mid-pass reaches every KPI after at most one
   * theme's queries. The rest goes watched themes first; one left waiting STARVED_MS goes first.
   */
  private pass(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      const startedAt = Date.now()
      this.passes += 1
      // Results are shared between themes only while the data did not change.
      let memo: MetricMemo | undefined
      let memoVersion = ''
      while (!this.closed && this.hasDueWork(Date.now())) {
        // Read before the reads of a full refresh: data stored during it moves the fingerprint.
        if (this.deps.dataFingerprint && this.fullDue(Date.now())) this.passFingerprint = await this.deps.dataFingerprint().catch(() => undefined)
        if (this.additive.recheckDue()) await this.recheckAdditive()
        const version = this.clock.key()
        if (!memo || version !== memoVersion) {
          // the additive figures, kept current by ingested batches, stand in for their queries
          const seeded = this.additive.seed() // (drops figures past their age first)
          const token = this.additive.readToken()
          memo = new MetricMemo(this.deps.db, this.deps.registry, this.options.warmRegions, seeded)
          memoVersion = version
          // Missing ones are read first and kept at once: a short read is rarely overlapped by a batch.
          if (!this.additive.complete) {
            await Promise.all(ADDITIVE_PRIMERS.map((metric) => memo!.run(metric, { region: this.options.warmRegions[0] }).catch(() => undefined)))
            await this.additive.capture(memo.batches, token)
          }
        }
        const now = Date.now()
        const watchedFirst = [...this.themes.values()].sort((a, b) => Number(this.watched(b)) - Number(this.watched(a)))
        for (const theme of watchedFirst) {
          if (this.closed || !this.themeHasNew(theme, now)) continue
          const due = this.duePanels(theme, now)
          if (theme.pending.length === 0) theme.pendingSince = now
          theme.pending = [...new Set([...theme.pending, ...due])]
          const quick = theme.pending.filter(({ metric }) => ADDITIVE_METRICS.has(metric.name))
          theme.pending = theme.pending.filter(({ metric }) => !ADDITIVE_METRICS.has(metric.name))
          if (quick.length > 0) await this.computeGroup(theme, memo, quick)
        }
        const theme = this.nextPending(Date.now())
        if (theme && !this.closed) {
          const rest = theme.pending
          theme.pending = []
          await this.computeGroup(theme, memo, rest)
        }
      }
      const finishedAt = Date.now()
      this.passMs.add(finishedAt - startedAt)
      if (this.warming && !this.closed) {
        this.warming = false
        this.warmupMs = finishedAt - this.startedAt
        this.deps.log.info(`live: ${this.rooms.size} rooms warm in ${this.warmupMs} ms`)
      }
      this.deps.latency.expire()
    })().finally(() => {
      this.running = undefined
      if (this.again) {
        this.again = false
        this.soon(this.options.changeDebounceMs)
      }
    })
    return this.running
  }

  /**
   * The drift check of the held additive figures: their selects read again on a memo of their own
   * (the pass and the quick pushes keep using the held figures meanwhile); kept if no batch
   * overlapped the read, else the next pass tries again.
   */
  private async recheckAdditive(): Promise<void> {
    const token = this.additive.readToken()
    if (!token) return
    const fresh = new MetricMemo(this.deps.db, this.deps.registry, this.options.warmRegions)
    await Promise.all(ADDITIVE_PRIMERS.map((metric) => fresh.run(metric, { region: this.options.warmRegions[0] }).catch(() => undefined)))
    if (await this.additive.capture(fresh.batches, token, true)) this.additiveRechecks += 1
  }

  private nextPending(now: number): ThemeState | undefined {
    const waiting = [...this.themes.values()].filter((theme) => theme.pending.length > 0)
    const rank = (theme: ThemeState) => (now - theme.pendingSince >= STARVED_MS ? 0 : this.watched(theme) ? 1 : 2)
    return waiting.sort((a, b) => rank(a) - rank(b) || a.pendingSince - b.pendingSince)[0]
  }

  /** Computes `panels` for every room of the theme and sends what changed. */
  private async computeGroup(theme: ThemeState, memo: MetricMemo, panels: LivePanel[]): Promise<void> {
    const rooms = this.roomsOf(theme)
    for (const room of rooms) room.computing = true
    const startedAt = Date.now()
    // a room's computation counts once per look at its theme, however many parts it goes out in
    const counts = !theme.counted
    theme.counted = true
    try {
      await computeAndApply(memo, rooms, panels, (room, what, error) => this.logOnce(room, what, error), (result) => this.apply(result, startedAt, counts))
    } finally {
      for (const room of rooms) room.computing = false
    }
    theme.computeMs.add(Date.now() - startedAt)
  }

  /**
   * Panels of the theme to compute now: all of them on the first pass and the clock refresh;
   * otherwise those whose data changed, except long-history panels computed less than their
   * minRefreshMs ago, which are held back (rooms keep their last values) until due.
   */
  private duePanels(theme: ThemeState, now: number): LivePanel[] {
    const seenBefore = theme.seen
    theme.lastLookedAt = now
    theme.counted = false
    theme.seen = this.clock.now()
    let due: LivePanel[]
    if (!seenBefore || now - theme.lastFullAt >= this.options.refreshEveryMs) {
      theme.lastFullAt = now
      theme.recomputedAt = now
      theme.fingerprint = this.passFingerprint
      theme.deferred.clear()
      due = theme.panels
    } else {
      due = theme.panels.filter(({ panel, metric }) => {
        const stale = theme.deferred.has(panel.id) || this.clock.changedSince(seenBefore, metric.reads)
        if (!stale) return false
        const dueAt = (theme.panelComputedAt.get(panel.id) ?? 0) + this.holdMs(metric)
        if (now < dueAt) {
          theme.deferred.set(panel.id, dueAt)
          return false
        }
        theme.deferred.delete(panel.id)
        return true
      })
    }
    for (const { panel } of due) theme.panelComputedAt.set(panel.id, now)
    return due
  }

  /** How long after its last computation a panel's new data is held back (minRefreshMs, fedEveryMs). */
  private holdMs(metric: LivePanel['metric']): number {
    // a metric's own minRefreshMs is its interval; the others reading payments get fedEveryMs
    if (metric.minRefreshMs !== undefined) return metric.minRefreshMs
    return metric.reads.includes('payments') && !ADDITIVE_METRICS.has(metric.name) ? (this.options.fedEveryMs ?? 0) : 0
  }

  private hasDueWork(now: number): boolean {
    for (const theme of this.themes.values()) if (this.themeHasDue(theme, now)) return true
    return false
  }

  private themeHasDue(theme: ThemeState, now: number): boolean {
    return theme.pending.length > 0 || this.themeHasNew(theme, now)
  }

  /** Some theme is due its first pass or the clock refresh. */
  private fullDue(now: number): boolean {
    for (const theme of this.themes.values()) if (!theme.seen || now - theme.lastFullAt >= this.options.refreshEveryMs) return true
    return false
  }

  /**
   * New data, a held-back panel come due, the clock refresh or the first pass. New data for a
   * theme no screen watches waits until unwatchedEveryMs after the theme was last looked at.
   */
  private themeHasNew(theme: ThemeState, now: number): boolean {
    if (!theme.seen || now - theme.lastFullAt >= this.options.refreshEveryMs) return true
    if (!this.themeHasChanges(theme, now)) return false
    return now - theme.lastLookedAt >= (this.options.unwatchedEveryMs ?? 10_000) || this.watched(theme)
  }

  /** New data or a held-back panel come due (not the clock). */
  private themeHasChanges(theme: ThemeState, now: number): boolean {
    if (!theme.seen) return true
    for (const dueAt of theme.deferred.values()) if (dueAt <= now) return true
    // changed data held back by minRefreshMs is noted (deferred) when the theme is looked at
    return theme.panels.some(({ panel, metric }) => !theme.deferred.has(panel.id) && this.clock.changedSince(theme.seen, metric.reads))
  }

  /** The theme's warm rooms and the others someone still watches (the rest are let go). */
  private roomsOf(theme: ThemeState): Room[] {
    const rooms: Room[] = []
    for (const room of this.rooms.values()) {
      if (room.dashboard.id !== theme.dashboard.id) continue
      if (room.warm) rooms.push(room)
      else if (this.deps.subscribers(room) > 0 || room.inflight) {
        if (room.computedAt) rooms.push(room)
      } else this.rooms.delete(room.name)
    }
    return rooms
  }

  private watched(theme: ThemeState): boolean {
    for (const room of this.rooms.values()) if (room.dashboard.id === theme.dashboard.id && this.deps.subscribers(room) > 0) return true
    return false
  }

  /** `counts`: the first part of a theme's computation counts it (once per room and pass). */
  private apply(result: RoomResult, startedAt: number, counts = true): void {
    const { room } = result
    const changed = room.absorb(result.panels)
    const asOfMoved = result.asOf !== undefined && result.asOf !== room.asOf
    if (result.asOf !== undefined) room.asOf = result.asOf
    const finishedAt = Date.now()
    if (counts) {
      room.computations += 1
      this.computations += 1
    }
    room.computeMs.add(finishedAt - startedAt)
    room.computedAtMs = finishedAt
    room.computedAt = new Date(finishedAt).toISOString()
    // new data time alone is news too: the screen's 数据截至 moves, and it knows the batch arrived
    const emitted = Object.keys(changed).length > 0 || asOfMoved
    if (emitted) {
      room.seq += 1
      this.deps.emit(room, changed)
    }
    // ingest→screen per room the batch changed: settled by this room's first computation after it
    this.deps.latency.computed(room.name, startedAt, emitted)
  }

  private logOnce(room: Room, what: string, error: unknown): void {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    const key = `${what}: ${message}`
    if (room.loggedErrors.has(key)) return
    room.loggedErrors.add(key)
    this.deps.log.warn(`live room ${room.name}: ${key}`)
  }
}
