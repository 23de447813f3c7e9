import { z } from 'zod'
import type { Router } from '../http/router'
import { HttpError, sendJson } from '../http/router'
import { inScope, type Role } from '../access/principal'
import { isKnownRegion } from '../../geo/regions'
import { getMetric, metricRegistry, MetricParamsError, runMetric } from './registry'

/** Who may query metrics directly: people reviewing themes. Walls get theirs pushed by the hub. */
const METRIC_ROLES: readonly Role[] = ['leader', 'staff', 'supervisor', 'admin']

/** Review filters a page may send, mapped onto each metric's own parameters. */
const REVIEW_FILTERS = ['year', 'project', 'dept'] as const

/**
 * `GET /api/metrics/:name?region=…&year=…&project=…&dept=…&<metric params>` — one metric, for the
 * leaders' review pages (专题研判). The region defaults to the caller's scope and must lie inside
 * it. A filter the metric cannot apply is refused (422), never silently ignored: an unfiltered
 * number shown under a filter would mislead.
 */
export function registerMetricRoutes(router: Router): void {
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
    const year = url.searchParams.get('year')
    if (year) {
      if (!/^20\d\d$/.test(year)) throw new HttpError(400, 'year: four digits, e.g. 2024')
      if ('year' in shape) input.year = year
      else if ('from' in shape && 'to' in shape) Object.assign(input, { from: `${year}01`, to: `${year}12` })
      else throw new HttpError(422, `year: metric ${metric.name} cannot be filtered by year`)
    }
    for (const key of ['project', 'dept'] as const) {
      const value = url.searchParams.get(key)
      if (!value) continue
      if (!(key in shape)) throw new HttpError(422, `${key}: metric ${metric.name} cannot be filtered by ${key}`)
      input[key] = value
    }

    try {
      const data = await runMetric(ctx.db, metric.name, coerceNumbers(input, shape))
      sendJson(res, 200, { metric: metric.name, params: input, data })
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
