import type http from 'node:http'
import type { AppContext } from './context'
import type { Router } from './http/router'
import type { Auth } from './access/principal'
import { createAuth, registerAccessRoutes } from './access'
import { registerIngestRoutes } from './ingest'
import { registerRecordRoutes } from './records'
import { registerRuleRoutes } from './rules/routes'
import { startRuleEngine } from './rules/engine'
import { startLiveHub, validateDashboards } from './live'
import { metricRegistry } from './metrics/registry'
import { registerMetricRoutes } from './metrics/routes'
import { dashboards } from '../dashboards'

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
  registerRecordRoutes(router)
  registerRuleRoutes(router)
  registerMetricRoutes(router)

  const hub = startLiveHub(ctx, server, themes)
  ctx.dataChanged = (kind) => hub.markChanged(kind)
  const closers: Closer[] = []
  if (options.rules !== false) {
    const engine = startRuleEngine(ctx, {
      onFlags: (events) => {
        ctx.dataChanged('flags')
        ctx.dataChanged('outreach') // R25 flags open follow-ups
        hub.broadcastFlags(events)
      },
    })
    closers.push(() => engine.stop())
  }
  closers.push(() => hub.close())
  return closers
}
