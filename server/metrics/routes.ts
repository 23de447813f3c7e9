import { z } from 'zod'
import type { Router } from '../http/router'
import { HttpError, sendJson } from '../http/router'
import { inScope, type Role } from '../access/principal'
import { isKnownRegion } from '../../geo/regions'
import { REVIEW_FILTERS, type ReviewFilterKind } from '../../dashboards/types'
import { getMetric, metricRegistry, MetricParamsError, runMetric } from './registry'
import { departments, projects } from '../catalogue'
import { applyReviewFilters, parseReviewFilters, ReviewFilterError, type ReviewFilterValues } from './reviewFilters'

/** Who may query metrics directly: people reviewing themes. Walls get theirs pushed by the hub. */
const METRIC_ROLES: readonly Role[] = ['leader', 'staff', 'supervisor', 'admin']

/**
 * `GET /api/metrics/:name?region=…&year=…&project=…&dept=…&<metric params>` — one metric, for the
 * leaders' review pages (专题研判). The region defaults to the caller's scope and must lie inside
 * it. Filter values are checked (400 naming the field); a valid filter the metric cannot apply
 * is listed in `ignored`, never applied silently nor refused: the page marks that panel as not
 * following it (the panel definitions declare the same, see dashboards/ `filters`).
 */
export function registerMetricRoutes(router: Router): void {
  // The review page's filter options: every project by name (the page sends its code) and every department.
  router.on('GET', '/api/catalogue', async (req, res, ctx) => {
    await ctx.auth.require(req, METRIC_ROLES)
    sendJson(res, 200, {
      projects: projects.map(({ code, name, dept }) => ({ code, name, dept })),
      departments: [...departments],
    })
  })

  router.on('GET', '/api/metrics/:name', async (req, res, ctx, params, url) => {
    const who = await ctx.auth.require(req, METRIC_ROLES)
    if (!metricRegistry.has(params.name)) throw new HttpError(404, `unknown metric ${params.name}`)
    const metric = getMetric(params.name)
    const shape = metric.params instanceof z.ZodObject ? (metric.params.shape as Record<string, z.ZodType>) : {}

    const region = url.searchParams.get('region') ?? who.scope
    if (!isKnownRegion(region)) throw new HttpError(400, 'region: unknown region code')
    if (!inScope(who, region)) throw new HttpError(403, 'region: outside your scope')

    const input: Record<string, unknown> = { region }
    for (const [key, value] of url.searchParams) {
      if (key === 'region' || key === 'token' || (REVIEW_FILTERS as readonly string[]).includes(key)) continue
      if (!(key in shape)) throw new HttpError(422, `${key}: metric ${metric.name} has no such parameter`)
      input[key] = value
    }
    const values: ReviewFilterValues = {}
    for (const kind of REVIEW_FILTERS) {
      const value = url.searchParams.get(kind)
      if (value) values[kind as ReviewFilterKind] = value
    }
    try {
      parseReviewFilters(values)
    } catch (error) {
      if (error instanceof ReviewFilterError) throw new HttpError(400, error.message)
      throw error
    }
    const filtered = applyReviewFilters(metric, input, values)

    try {
      const data = await runMetric(ctx.db, metric.name, coerceNumbers(filtered.input, shape))
      sendJson(res, 200, { metric: metric.name, params: filtered.input, applied: filtered.applied, ignored: filtered.ignored, data })
    } catch (error) {
      if (error instanceof MetricParamsError) throw new HttpError(400, error.message)
      throw error
    }
  })
}

/** Query strings carry text; parameters a metric declares as numbers are converted. */
function coerceNumbers(input: Record<string, unknown>, shape: Record<string, z.ZodType>): Record<string, unknown> {
  const output: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) {
    const numeric = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)
    const wantsNumber = numeric && shape[key] ? !shape[key].safeParse(value).success && shape[key].safeParse(Number(value)).success : false
    output[key] = wantsNumber ? Number(value) : value
  }
  return output
}
