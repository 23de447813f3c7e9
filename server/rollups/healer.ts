import type { AppContext } from '../context'
import { ingestGate } from '../ingest/ingestGate'
import { discoverRollups } from './discover'
import { checkRollup, type RollupVerdict } from './heal'
import { firstLine } from '../errorLine'
import { readTableVersions } from '../db/tableVersions'

/** What /api/health shows under `rollups`. */
export interface RollupHealth {
  /** Rollups found in the catalogue at the last check. */
  rollups: number
  checks: number
  lastCheckAt: string | null
  lastCheckMs: number | null
  /** Partitions that disagreed with the facts at the last check (before repair). */
  lastMismatches: Array<{ table: string; partition: string }>
  repairs: number
  lastRepairAt: string | null
  unchecked: string[]
  lastError: string | null
  running: boolean
  /** Periodic checks skipped because neither the facts nor the rollups changed since a clean check. */
  skippedUnchanged: number
  /** When the next periodic check is due (stretched so checks take at most `share` of the time). */
  nextPeriodicAt: string | null
}

export interface RollupHealer {
  /** Schedules a check soon (coalesced with one already waiting or running). */
  checkSoon(reason: string, delayMs?: number): void
  /** Runs a check now (or joins the running one) and returns its verdicts. */
  checkNow(reason: string): Promise<RollupVerdict[]>
  health(): RollupHealth
  stop(): Promise<void>
}

const STARTUP_DELAY_MS = 10_000

export interface HealerOptions {
  /** Periodic checks, and one at start-up; 0 = only after a crash-recovered batch. */
  intervalMs: number
  /** Longest share of the time periodic checks may take (default 0.02). */
  share?: number
}

/**
 * Keeps the rollups equal to the facts. A kill between a fact INSERT and its materialized views
 * leaves facts without their rollup rows (each view commits on its own); the ingest ledger then
 * sees the batch as "rows present" and completes it. So: check after every such recovery, at
 * start-up and periodically; rebuild what disagrees; tell the live hub which data changed.
 */
export function startRollupHealer(ctx: AppContext, options: HealerOptions): RollupHealer {
  const state: RollupHealth = {
    rollups: 0, checks: 0, lastCheckAt: null, lastCheckMs: null, lastMismatches: [], repairs: 0,
    lastRepairAt: null, unchecked: [], lastError: null, running: false, skippedUnchanged: 0, nextPeriodicAt: null,
  }
  // Versions of the facts and rollups as a clean check (no mismatch, no error) read them before
  // it began: while they stand, nothing can disagree that did not disagree then.
  let cleanAt: string | null = null
  let running: Promise<RollupVerdict[]> | null = null
  let again = false
  let stopped = false
  let soonTimer: NodeJS.Timeout | undefined

  async function runOnce(reason: string): Promise<RollupVerdict[]> {
    const startedAt = Date.now()
    state.running = true
    try {
      const rollups = await discoverRollups(ctx.db)
      const versions = await versionsOf(rollups)
      cleanAt = null
      const verdicts: RollupVerdict[] = []
      const changedSources = new Set<string>()
      for (const rollup of rollups) {
        if (stopped) break
        const verdict = await checkRollup(ctx.db, ingestGate, rollup, { repair: true })
        verdicts.push(verdict)
        if (verdict.repaired.length) rollup.sources.forEach((source) => changedSources.add(source))
      }
      const mismatches = verdicts.flatMap((v) => v.mismatched.map((partition) => ({ table: v.table, partition })))
      const repaired = verdicts.reduce((n, v) => n + v.repaired.length, 0)
      Object.assign(state, {
        rollups: rollups.length, checks: state.checks + 1, lastCheckAt: new Date().toISOString(), lastCheckMs: Date.now() - startedAt,
        lastMismatches: mismatches, unchecked: verdicts.filter((v) => v.unchecked).map((v) => v.table), lastError: null,
      })
      if (mismatches.length === 0 && !stopped) cleanAt = versions
      if (repaired > 0) {
        state.repairs += repaired
        state.lastRepairAt = new Date().toISOString()
        ctx.log.warn(`rollups (${reason}): rebuilt ${mismatches.map((m) => `${m.table}[${m.partition}]`).join(', ')} from the facts`)
        for (const source of changedSources) announceRepair(ctx, source)
      }
      return verdicts
    } catch (error) {
      state.lastError = firstLine(error)
      ctx.log.error(`rollup check (${reason}) failed: ${state.lastError}`)
      return []
    } finally {
      state.running = false
    }
  }

  function checkNow(reason: string): Promise<RollupVerdict[]> {
    if (running) {
      // A check already under way may have read the facts before the event that asked for this one.
      again = true
      return running
    }
    running = runOnce(reason).finally(() => {
      running = null
      if (again && !stopped) {
        again = false
        void checkNow(`${reason}, again`)
      }
    })
    return running
  }

  function checkSoon(reason: string, delayMs = 200): void {
    if (stopped || soonTimer) return
    soonTimer = setTimeout(() => {
      soonTimer = undefined
      void checkNow(reason)
    }, delayMs)
    soonTimer.unref()
  }

  const onIngest = (event: { recovered?: boolean; feed: string; batchId: string }) => {
    if (event.recovered) checkSoon(`recovered batch ${event.feed}/${event.batchId}`)
  }
  ctx.onIngest.push(onIngest)
  const healthExtra = (): [string, unknown] => ['rollups', { ...state }]
  ctx.healthExtras.push(healthExtra)
  /** The versions of every table the rollups are built from or written to. */
  async function versionsOf(rollups: Awaited<ReturnType<typeof discoverRollups>>): Promise<string> {
    const all = await readTableVersions(ctx.db)
    const tables = [...new Set(rollups.flatMap((rollup) => [rollup.table, ...rollup.sources]))].sort()
    return JSON.stringify(tables.map((table) => [table, all.get(table) ?? '']))
  }

  // An idle wall costs nothing here, and one under a feed at most `share` of the time: a check
  // rebuilds every rollup from the facts (16 s wall, 22 CPU s at 1M payments; at 40M a fixed
  // 10 min interval would keep more than a core busy).
  const share = options.share ?? 0.02
  let periodic: NodeJS.Timeout | undefined
  async function periodicCheck(): Promise<void> {
    try {
      if (cleanAt !== null && !running && (await versionsOf(await discoverRollups(ctx.db))) === cleanAt) state.skippedUnchanged += 1
      else await checkNow('periodic')
    } catch (error) {
      state.lastError = firstLine(error)
    }
    schedulePeriodic()
  }
  function schedulePeriodic(): void {
    if (stopped || options.intervalMs <= 0) return
    const delay = Math.max(options.intervalMs, (state.lastCheckMs ?? 0) / share)
    state.nextPeriodicAt = new Date(Date.now() + delay).toISOString()
    periodic = setTimeout(() => void periodicCheck(), delay)
    periodic.unref()
  }
  schedulePeriodic()
  // Not in the first seconds: the walls' first snapshots and the rules' first pass come first.
  if (options.intervalMs > 0) checkSoon('start-up', Math.min(options.intervalMs, STARTUP_DELAY_MS))

  return {
    checkSoon,
    checkNow,
    health: () => ({ ...state }),
    stop: async () => {
      stopped = true
      clearTimeout(soonTimer)
      clearTimeout(periodic)
      ctx.onIngest.splice(ctx.onIngest.indexOf(onIngest), 1)
      ctx.healthExtras.splice(ctx.healthExtras.indexOf(healthExtra), 1)
      await running
    },
  }
}

/**
 * The hub's own ingest event, named after the fact table: rooms reading data of that kind
 * recompute. Not a batch: rows 0, and no listener treats it as a delivery.
 */
function announceRepair(ctx: AppContext, source: string): void {
  for (const listener of ctx.onIngest) {
    try {
      listener({ feed: source, batchId: 'rollup-repair', rows: 0, acknowledgedAt: Date.now() })
    } catch (error) {
      ctx.log.error(`listener failed on rollup repair: ${firstLine(error)}`)
    }
  }
}
