import type http from 'node:http'
import type { AppContext } from './context'
import type { Router } from './http/router'
import type { Auth } from './access/principal'
import { createAuth, registerAccessRoutes } from './access'
import { dropSocketsOnRevocation } from './access/socketRevocation'
import { auditSocketRefusals } from './access/socketAudit'
import { registerIngestRoutes } from './ingest'
import { registerBulkRoutes } from './bulk/routes'
import { registerRecordRoutes } from './records'
import { registerRuleRoutes } from './rules/routes'
import { startRuleEngine } from './rules/engine'
import { seedDemoLedger } from './rules/ledger/demoLedger'
import { SERVER_RESTARTING, socketEvents, type FlagEvent } from '../dashboards/types'
import { startLiveHub, validateDashboards } from './live'
import { registerNotifyRoutes, startNotify } from './notify'
import { metricRegistry } from './metrics/registry'
import { registerMetricRoutes } from './metrics/routes'
import { dashboards } from '../dashboards'
import { startRollupHealer } from './rollups/healer'
import { firstLine } from './errorLine'
import { pushFlags } from './flagPush'

export type Closer = () => Promise<void> | void

export interface PartOptions {
  /** Replaces the sign-in layer (tests of parts that only need some principal). */
  auth?: Auth
  /** Rule engine off (tests that measure the live hub alone). */
  rules?: boolean
}

/**
 * Wires the product's parts onto one server: sign-in and scopes, the ingest feeds, records, rules
 * and ledger, and the live hub. Returns closers, run in order before the database closes.
 */
export async function registerParts(ctx: AppContext, router: Router, server: http.Server, options: PartOptions = {}): Promise<Closer[]> {
  // Themes name metrics; a theme naming an unknown metric or bad parameters stops start-up here.
  const themes = Object.values(dashboards)
  validateDashboards(themes, metricRegistry)

  ctx.auth = options.auth ?? createAuth(ctx)
  await registerAccessRoutes(router, ctx)
  registerIngestRoutes(router)
  registerBulkRoutes(router)
  registerRecordRoutes(router)
  registerRuleRoutes(router)
  registerMetricRoutes(router)

  // Before the hub: a bad channel configuration stops start-up with nothing else running yet.
  const notify = await startNotify(ctx, { demo: ctx.config.DEMO_SEED === 'auto' })
  registerNotifyRoutes(router, notify)
  const hub = startLiveHub(ctx, server, themes)
  ctx.dataChanged = (kind) => hub.markChanged(kind)
  auditSocketRefusals(hub.io, ctx)
  const closers: Closer[] = [dropSocketsOnRevocation(hub.io, ctx.auth)]
  // After the hub, so a repair's change event reaches it; stopped before the database closes.
  const healer = startRollupHealer(ctx, { intervalMs: ctx.config.ROLLUP_CHECK_MS, share: ctx.config.ROLLUP_CHECK_SHARE })
  closers.push(() => healer.stop())
  // Set once the engine has stopped: a push still reading its amounts then sends nothing.
  let flagsClosed = false
  const liveFlags: Pick<typeof hub, 'broadcastFlags'> = {
    broadcastFlags: (events, amountFor) => {
      if (!flagsClosed) hub.broadcastFlags(events, amountFor)
    },
  }
  if (options.rules !== false) {
    const engine = startRuleEngine(ctx, {
      onFlags: (events) => {
        ctx.dataChanged('flags')
        ctx.dataChanged('outreach') // R25 flags open follow-ups
        // Each socket gets the amount paid inside its own scope (one read of the flags' records).
        void pushFlags(ctx, liveFlags, newsworthy(events))
        notify.flagsStored()
      },
    })
    ctx.ruleSwitch = (on) => engine.setEnabled(on)
    closers.push(() => engine.stop())
    closers.push(() => {
      flagsClosed = true
    })
    if (ctx.config.DEMO_SEED === 'auto') {
      // Demo only: once the first pass has flagged the seeded history, open a realistic ledger.
      void engine.firstPass
        .then(() => seedDemoLedger(ctx))
        .catch((error: unknown) => ctx.log.error(`demo ledger: ${firstLine(error)}`))
    }
  }
  closers.push(() => notify.close())
  closers.unshift(() => {
    // First of all: walls show why they lost the connection (and that it is coming back), at once,
    // not after the rule engine and the rooms in flight have finished.
    hub.io.emit(socketEvents.closing, { reason: SERVER_RESTARTING })
    hub.io.disconnectSockets(true)
    return hub.close()
  })
  return closers
}

/** Flags pushed to walls per run: enough for the ticker and the jump; the counts show the rest. */
const MAX_FLAGS_PER_PUSH = 20
const severityRank = { critical: 0, warn: 1, info: 2 } as const

/**
 * A first pass over years of history finds thousands of cases at once; pushing each to every wall
 * would flood sockets and the ticker. Walls get the most severe and newest; panels count them all.
 */
function newsworthy(events: FlagEvent[]): FlagEvent[] {
  if (events.length <= MAX_FLAGS_PER_PUSH) return events
  return [...events]
    .sort((a, b) => severityRank[a.severity] - severityRank[b.severity] || b.detectedAt.localeCompare(a.detectedAt))
    .slice(0, MAX_FLAGS_PER_PUSH)
}
