import { z } from 'zod'
import type { Db } from '../db/client'
import type { PanelData } from '../../dashboards/types'
import type { MetricDefinition } from './define'
import { paymentsCount, paymentsPersons, paymentsTotal } from './payments/totals'
import { paymentsByHour, paymentsTodayAmount, paymentsTodayCount } from './payments/today'
import { paymentsByStatus, paymentsFailedOpen, paymentsSuccessRate } from './payments/quality'
import { paymentsPrereviewHits } from './payments/prereview'
import { paymentsByChildRegion, paymentsTopVillages } from './payments/byRegion'
import { paymentsByMonth, paymentsByYear } from './payments/trends'
import { paymentsByAgeBand, paymentsByBank, paymentsByDept, paymentsByProject } from './payments/breakdowns'
import { budgetExecutionByDept, budgetExecutionByProject, budgetExecutionByRegion, budgetExecutionRate } from './budget/execution'
import { budgetChain } from './budget/chain'
import { budgetIdleFunds } from './budget/idleFunds'
import { flagsCriticalAmount, flagsTopVillages } from './leader/atStake'
import { ledgerOverdueByDept, ledgerTimeToClose } from './leader/rectification'
// flags.*, ledger.*, outreach.*, approvals.*: written by the rules part.
import { ruleMetrics } from './wall'

const allMetrics: MetricDefinition[] = [
  paymentsTotal,
  paymentsCount,
  paymentsPersons,
  paymentsTodayAmount,
  paymentsTodayCount,
  paymentsByHour,
  paymentsSuccessRate,
  paymentsFailedOpen,
  paymentsPrereviewHits,
  paymentsByStatus,
  paymentsByChildRegion,
  paymentsTopVillages,
  paymentsByMonth,
  paymentsByYear,
  paymentsByProject,
  paymentsByDept,
  paymentsByBank,
  paymentsByAgeBand,
  budgetExecutionRate,
  budgetExecutionByRegion,
  budgetExecutionByDept,
  budgetExecutionByProject,
  budgetIdleFunds,
  budgetChain,
  flagsCriticalAmount,
  flagsTopVillages,
  ledgerTimeToClose,
  ledgerOverdueByDept,
  ...ruleMetrics,
] as MetricDefinition[]

export type MetricRegistry = ReadonlyMap<string, MetricDefinition>

export const metricRegistry: MetricRegistry = buildRegistry(allMetrics)

function buildRegistry(metrics: MetricDefinition[]): MetricRegistry {
  const registry = new Map<string, MetricDefinition>()
  for (const metric of metrics) {
    if (registry.has(metric.name)) throw new Error(`metric ${metric.name} is defined twice`)
    registry.set(metric.name, metric)
  }
  return registry
}

export class MetricParamsError extends Error {
  constructor(
    readonly metric: string,
    readonly issues: string[],
  ) {
    super(`metric ${metric}: ${issues.join('; ')}`)
  }
}

/**
 * A panel whose metric refuses the room's region (budget below county, a village for a town-level
 * rollup) says why on the wall instead of waiting for data that will never come.
 */
export function notApplicable(error: MetricParamsError): PanelData {
  return { kind: 'notApplicable', reason: error.issues.map((issue) => issue.replace(/^[a-z]+: /, '')).join('；') }
}

export function getMetric(name: string, registry: MetricRegistry = metricRegistry): MetricDefinition {
  const metric = registry.get(name)
  if (!metric) throw new Error(`unknown metric ${name}`)
  return metric
}

/** Validates `params` (zod; unknown region → MetricParamsError) without running anything. */
export function parseMetricParams(name: string, params: unknown, registry: MetricRegistry = metricRegistry): unknown {
  const verdict = rememberedVerdict(name, params, registry)
  if ('issues' in verdict) throw new MetricParamsError(name, verdict.issues)
  return verdict.data
}

function rememberedVerdict(name: string, params: unknown, registry: MetricRegistry): Readonly<ParamsVerdict> {
  const key = paramsKey(name, params)
  if (key === null) return parseParams(getMetric(name, registry), params)
  const cache = parsedParamsOf(registry)
  let verdict = cache.get(key)
  if (!verdict) {
    verdict = parseParams(getMetric(name, registry), params)
    if (cache.size >= PARSED_PARAMS_LIMIT) cache.clear()
    cache.set(key, verdict)
  }
  return verdict
}

type ParamsVerdict = { data: unknown } | { issues: string[] }

/**
 * Verdicts on params already seen, per registry. A warm pass asks for the same 5,000 panel params
 * (6 themes × 89 regions) every time, and a budget panel refused for each of 83 towns built a zod
 * error every time: 110 ms of parsing per pass, measured. Params are plain values and every
 * schema a pure function of them (constant defaults, refinements over the value), so a verdict
 * stays right. Bounded: emptied when full (API callers can send any params).
 */
const parsedParams = new WeakMap<MetricRegistry, Map<string, Readonly<ParamsVerdict>>>()
const PARSED_PARAMS_LIMIT = 20_000

function parsedParamsOf(registry: MetricRegistry): Map<string, Readonly<ParamsVerdict>> {
  let cache = parsedParams.get(registry)
  if (!cache) parsedParams.set(registry, (cache = new Map()))
  return cache
}

/** Only flat objects of strings, finite numbers and booleans are remembered; null means "parse it". */
function paramsKey(name: string, params: unknown): string | null {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return null
  const values = Object.values(params)
  if (!values.every((value) => typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))) return null
  return `${name}\u0000${JSON.stringify(params)}`
}

function parseParams(metric: MetricDefinition, params: unknown): Readonly<ParamsVerdict> {
  const parsed = metric.params.safeParse(params)
  if (!parsed.success) return Object.freeze({ issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`) })
  // Shared by every later call with these params: frozen, so a metric that changed its params would fail loudly.
  return Object.freeze({ data: typeof parsed.data === 'object' && parsed.data !== null ? Object.freeze(parsed.data) : parsed.data })
}

export async function runMetric(db: Db, name: string, params: unknown, registry: MetricRegistry = metricRegistry): Promise<PanelData> {
  const parsed = parseMetricParams(name, params, registry)
  return getMetric(name, registry).run(db, parsed as z.infer<z.ZodType>)
}
