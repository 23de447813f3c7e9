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
  const parsed = getMetric(name, registry).params.safeParse(params)
  if (!parsed.success)
    throw new MetricParamsError(name, parsed.error.issues.map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`))
  return parsed.data
}

export async function runMetric(db: Db, name: string, params: unknown, registry: MetricRegistry = metricRegistry): Promise<PanelData> {
  const parsed = parseMetricParams(name, params, registry)
  return getMetric(name, registry).run(db, parsed as z.infer<z.ZodType>)
}
