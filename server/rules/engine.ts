import type { AppContext, IngestEvent } from '../context'
import { backgroundDb } from '../db/client'
import type { FlagEvent } from '../../dashboards/types'
import { rules as allRules } from './catalog/index'
import { storeNewFlags, toFlagEvent, type StoredFlag } from './evaluate'
import { createFollowupsFromFlags } from './ledger/followups'
import { setEvaluationDay } from './params'
import { readTableVersions } from '../db/tableVersions'
import { inputsKey } from './inputsKey'
import type { RuleDefinition } from './types'
import { reportFault } from '../notify/sources/faults'
import { beijingDay as shanghaiToday } from '../beijingTime'
import { recordFullPass } from './passes'
import { firstLine } from '../errorLine'

export interface RuleEngineOptions {
  /** Called with the NEW flags of each run only (the live hub broadcasts them). */
  onFlags?: (events: FlagEvent[]) => void
  /** Bursts of ingest events within this window become one incremental run. */
  debounceMs?: number
  /**
   * Least time from the end of one incremental run to the start of the next. An incremental run
   * costs about 1.3 s on 2.5 M payments whatever the batch size (the rules read a few columns of
   * every payment), and the demo feed posts a batch a second: without a gap the rules would take a
   * whole core from the wall. Default 10 s: a new case reaches the wall within seconds, which is
   * what the wall is for (at 10 s the rules alone took a fifth of a core with a feed of 10 rows/s;
   * 30 s halved that but left a critical flag off the wall for half a minute, and the detour
   * browser test waiting 20 s for its flag card failed).
   */
  incrementalGapMs?: number
  /**
   * Under a steady feed, the most of the engine's time incremental runs may take: after a run that
   * held the engine for C ms, the next starts no sooner than C / share after it (and never sooner
   * than `incrementalGapMs`, never later than `incrementalMaxGapMs`). Default 1/40. An incremental
   * run's cost is mostly fixed (each rule plans its query and reads its key columns of every payment,
   * however few rows arrived): 0.5 s of engine per run at 2.5 M payments, 1.2 s of CPU with its
   * threads. At a 10 s gap that was 11–13 % of a core at 10 rows/s (fed 25–30 %, rules off 17 %);
   * at the 20–30 s this share gives there, 5–7 % (fed 21–24 %). A small city keeps the 10 s gap, a large one
   * waits longer instead of giving the rules the machine. Only a steady feed is paced (3 or more
   * batches since the last run began): the first batch after a quiet spell is evaluated at once,
   * and a second one soon after within `incrementalGapMs`, as before.
   */
  incrementalShare?: number
  /** Longest wait for the next incremental run under a steady feed (default 60 s). */
  incrementalMaxGapMs?: number
  /**
   * Full pass over all history (time-driven rules, late reference data): how often. Default
   * 15 min: new payments reach the incremental rules on every batch; what only a full pass finds
   * moves with the calendar (deadlines, day by day) or with reference data, and a full pass costs
   * 2–4 s of engine time per rule at 10 M payments (a pass every 5 min took a fifth of a core).
   * A rule whose tables and evaluation day did not change since its last pass is skipped.
   */
  fullPassEveryMs?: number
  /**
   * The evaluation date, 'YYYY-MM-DD'. Default: today by the clock in Beijing. Deadlines pass on
   * the calendar, not when payments arrive: judged by the newest payment day, an application
   * waiting over a weekend or a resting feed stopped ageing (a 15-day wait showed as a reminder).
   * Scripts pass a fixed day (the back-test judges a seeded history as of its own end).
   */
  today?: () => string
  rules?: readonly RuleDefinition[]
  /** Start with a full pass (default true; scripts that call runNow themselves turn it off). */
  initialPass?: boolean
}

export interface RunSummary {
  kind: 'full' | 'incremental'
  newFlags: number
  /** rules not run because nothing they read (nor the evaluation day) changed since their last run */
  skipped: string[]
  byRule: Record<string, number>
  ms: number
  failed: string[]
}

export interface RuleEngine {
  /** A full pass now (or an incremental run), after any run in flight; resolves when its flags are stored. */
  runNow(kind?: RunSummary['kind']): Promise<RunSummary>
  /**
   * Off: no run starts (ingests and the periodic pass are ignored, runNow too); resolves once the
   * run in flight ended. On again: the next ingest starts an incremental run covering the pause.
   * (`npm run bench` compares the wall with rules on and off in one server.)
   */
  setEnabled(on: boolean): Promise<void>
  /** The start-up full pass (null when initialPass is off or it failed): the demo ledger waits for it. */
  firstPass: Promise<RunSummary | null>
  stop(): Promise<void>
}

/** Batches since the last incremental run began from which the feed counts as steady (paced). */
const STEADY_FEED_BATCHES = 3

/**
 * Keeps flags up to date with the data. Every ingest of payments schedules an incremental run of
 * the incremental rules over rows ingested since the previous run started (minus a small overlap,
 * the stored keys absorb it); a periodic full pass catches time-driven cases (deadlines passing)
 * and reference data that arrived late. Runs never overlap: they are chained one after the other.
 * Work is skipped where it cannot find anything new: an incremental run when no payment row was
 * stored since the last run, and on a full pass each rule whose input tables and evaluation day
 * are the same as at its last successful run (its result would be the same, and already stored).
 * Every query goes through `backgroundDb`: behind the live hub on the one chDB engine (each query
 * waits for a gap between the hub's passes), on a pool of its own with ClickHouse.
 */
export function startRuleEngine(ctx: AppContext, options: RuleEngineOptions = {}): RuleEngine {
  const rules = options.rules ?? allRules
  // Low priority on the engine lane (chDB) or a pool of its own (ClickHouse): never ahead of the wall.
  const db = backgroundDb(ctx.db)
  const debounceMs = options.debounceMs ?? 150
  const incrementalGapMs = options.incrementalGapMs ?? 10_000
  const incrementalShare = options.incrementalShare ?? 1 / 40
  const incrementalMaxGapMs = Math.max(incrementalGapMs, options.incrementalMaxGapMs ?? 60_000)
  // nextGapMs: how long after the last incremental run the next may start (paced by its cost)
  const stats = { runs: 0, incrementalSkipped: 0, flagsStored: 0, lastRunAt: null as string | null, lastRunMs: 0, lastError: null as string | null, nextGapMs: incrementalGapMs }
  const minute = new RunMinute(() => db.lane?.stats)
  let enabled = true

  let chain: Promise<unknown> = Promise.resolve()
  let debounce: NodeJS.Timeout | undefined
  let incrementalQueued = false
  let watermark: Date | undefined // start of the last run; undefined until the first full pass
  let paymentsVersion: string | undefined // payment_detail's version at the start of the last run
  let incrementalEndedAt = 0 // ms since epoch
  let batchesSinceRun = 0 // payment batches stored since the last incremental run began
  let incrementalRunning = false
  const lastInputs = new Map<string, string>() // rule id → inputs key of its last successful run
  let stopped = false

  function enqueue(kind: RunSummary['kind']): Promise<RunSummary> {
    const run = chain.then(() => runOnce(kind))
    chain = run.catch(() => undefined)
    return run
  }

  async function runOnce(kind: RunSummary['kind']): Promise<RunSummary> {
    if (kind === 'incremental') {
      incrementalQueued = false
      incrementalRunning = true
      batchesSinceRun = 0
    }
    const mark = minute.start()
    try {
      if (!enabled) return { kind, newFlags: 0, skipped: rules.map((rule) => rule.id), byRule: {}, ms: 0, failed: [] }
      return await evaluate(kind)
    } finally {
      const run = minute.end(mark)
      if (kind === 'incremental') {
        incrementalRunning = false
        incrementalEndedAt = Date.now()
        stats.nextGapMs = pacedGapMs(run.engineMs, incrementalShare, incrementalGapMs, incrementalMaxGapMs)
        // batches stored while this run read: the next run, a gap after this one ended
        if (batchesSinceRun > 0) scheduleIncremental()
      }
    }
  }

  async function evaluate(kind: RunSummary['kind']): Promise<RunSummary> {
    const started = new Date()
    // Rows committed while the previous run was reading may carry an ingested_at before its start.
    const since = kind === 'full' || !watermark ? undefined : new Date(watermark.getTime() - 5_000)
    const selected = kind === 'full' || !watermark ? rules : rules.filter((rule) => rule.incremental)
    const summary: RunSummary = { kind: since ? 'incremental' : 'full', newFlags: 0, skipped: [], byRule: {}, ms: 0, failed: [] }
    const events: FlagEvent[] = []
    const versions = await readTableVersions(db)
    const paymentsNow = versions.get('payment_detail')
    if (since && paymentsNow === paymentsVersion) {
      // Nothing was stored since the last run (a duplicate batch, or another feed): no new cases.
      summary.skipped = selected.map((rule) => rule.id)
      stats.incrementalSkipped += 1
      return summary
    }
    paymentsVersion = paymentsNow
    const day = options.today ? options.today() : shanghaiToday()
    setEvaluationDay(day)
    for (const rule of selected) {
      if (stopped) break
      const inputs = inputsKey(day, rule.reads, versions)
      if (!since && lastInputs.get(rule.id) === inputs) {
        summary.skipped.push(rule.id)
        continue
      }
      try {
        const flags = await storeNewFlags(db, rule, { since, today: day })
        if (!since) lastInputs.set(rule.id, inputs)
        if (flags.length === 0) continue
        summary.byRule[rule.id] = flags.length
        summary.newFlags += flags.length
        if (rule.id === 'R25') await createFollowupsFromFlags(db, flags as StoredFlag[])
        for (const flag of flags) events.push(toFlagEvent(rule, flag))
      } catch (error) {
        summary.failed.push(rule.id)
        stats.lastError = `${rule.id}: ${error instanceof Error ? error.message.split('\n')[0].slice(0, 200) : error}`
        ctx.log.error(`rule ${stats.lastError}`)
        reportFault(ctx, { source: 'rules', key: rule.id, message: stats.lastError })
      }
    }
    watermark = started
    summary.ms = Date.now() - started.getTime()
    if (!since && !stopped) await recordPass(summary, selected.length, day, events.length)
    stats.runs += 1
    stats.flagsStored += summary.newFlags
    stats.lastRunAt = started.toISOString()
    stats.lastRunMs = summary.ms
    if (events.length > 0 && options.onFlags) {
      try {
        options.onFlags(events)
      } catch (error) {
        ctx.log.error(`onFlags listener failed: ${error instanceof Error ? error.message : error}`)
      }
    }
    return summary
  }

  /**
   * A full pass is written down (rule_pass) so the alert panels know the rules have looked at this
   * data. After the first one the rooms are told even when it found nothing: until then they said
   * 规则首轮核查中, and only a change of flags would have made them look again.
   */
  let passesRecorded = 0
  async function recordPass(summary: RunSummary, selected: number, day: string, newEvents: number): Promise<void> {
    try {
      await recordFullPass(db, summary, selected, day, new Date())
      passesRecorded += 1
      if (passesRecorded === 1 && newEvents === 0) ctx.dataChanged('flags')
    } catch (error) {
      ctx.log.error(`rule pass not recorded: ${firstLine(error, 200)}`)
    }
  }

  /**
   * The next incremental run, a gap after the last one ended. Not while one runs: it schedules
   * the next when it ends (scheduled during a run, the gap counted from the run before, and a
   * steady feed got two runs back to back, twice the runs it should have).
   */
  function scheduleIncremental(): void {
    if (stopped || !enabled || incrementalQueued || incrementalRunning) return
    clearTimeout(debounce)
    const gap = batchesSinceRun >= STEADY_FEED_BATCHES ? stats.nextGapMs : incrementalGapMs
    const wait = Math.max(debounceMs, incrementalEndedAt + gap - Date.now())
    debounce = setTimeout(() => {
      if (stopped || incrementalQueued) return
      incrementalQueued = true
      void enqueue('incremental')
    }, wait)
  }

  const onIngest = (event: IngestEvent) => {
    // Incremental rules read new payments only; other feeds wait for the full pass.
    if (event.feed !== 'payments' || event.rows === 0) return
    if (stopped || !enabled) return
    batchesSinceRun += 1
    scheduleIncremental()
  }
  ctx.onIngest.push(onIngest)
  // lastMinute: time the rules took over the last minute (engine time: their queries in the engine)
  // lane (chDB): queries the hub and the rules sent since start, and the rules' engine and waiting time
  const healthExtra = (): [string, unknown] => ['rules', { ...stats, enabled, lastMinute: minute.summary(), ...(db.lane ? { lane: { ...db.lane.stats } } : {}) }]
  ctx.healthExtras.push(healthExtra)

  const fullPass = setInterval(() => void enqueue('full'), options.fullPassEveryMs ?? 15 * 60_000)
  fullPass.unref()
  const firstPass = (options.initialPass ?? true) ? enqueue('full').catch(() => null) : Promise.resolve(null)

  return {
    runNow: (kind = 'full') => enqueue(kind),
    firstPass,
    async setEnabled(on) {
      enabled = on
      if (!on) clearTimeout(debounce)
      await chain
    },
    async stop() {
      stopped = true
      clearTimeout(debounce)
      clearInterval(fullPass)
      const index = ctx.onIngest.indexOf(onIngest)
      if (index >= 0) ctx.onIngest.splice(index, 1)
      const health = ctx.healthExtras.indexOf(healthExtra)
      if (health >= 0) ctx.healthExtras.splice(health, 1)
      await chain
    },
  }
}

/**
 * What the rules cost over the last minute, for /api/health: runs, their wall time, and (chDB) the
 * time their queries held the engine and waited for the hub to leave it free.
 */
class RunMinute {
  private readonly runs: Array<{ endedAt: number; ms: number; engineMs: number; waitMs: number }> = []

  constructor(private readonly lane: () => { lowMs: number; lowWaitMs: number } | undefined) {}

  start(): { at: number; lowMs: number; lowWaitMs: number } {
    const lane = this.lane()
    return { at: Date.now(), lowMs: lane?.lowMs ?? 0, lowWaitMs: lane?.lowWaitMs ?? 0 }
  }

  /** Records the run that started at `mark`; returns its figures. */
  end(mark: { at: number; lowMs: number; lowWaitMs: number }): { ms: number; engineMs: number; waitMs: number } {
    const now = Date.now()
    const lane = this.lane()
    const ms = now - mark.at
    const run = { endedAt: now, ms, engineMs: lane ? lane.lowMs - mark.lowMs : ms, waitMs: lane ? lane.lowWaitMs - mark.lowWaitMs : 0 }
    this.runs.push(run)
    this.prune(now)
    return run
  }

  summary(): { runs: number; ms: number; engineMs: number; waitMs: number } {
    this.prune(Date.now())
    const sum = (key: 'ms' | 'engineMs' | 'waitMs') => this.runs.reduce((total, run) => total + run[key], 0)
    return { runs: this.runs.length, ms: sum('ms'), engineMs: sum('engineMs'), waitMs: sum('waitMs') }
  }

  private prune(now: number): void {
    while (this.runs.length > 0 && now - this.runs[0].endedAt > 60_000) this.runs.shift()
  }
}

/**
 * The wait after an incremental run that held the engine `engineMs`, so that under a steady feed
 * the runs take `share` of the engine's time, within [minMs, maxMs].
 */
export function pacedGapMs(engineMs: number, share: number, minMs: number, maxMs: number): number {
  return Math.round(Math.min(maxMs, Math.max(minMs, engineMs / share)))
}
