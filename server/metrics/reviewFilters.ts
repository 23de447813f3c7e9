import { z } from 'zod'
import { departments, isKnownProject } from '../catalogue'
import { REVIEW_FILTERS, type ReviewFilterKind } from '../../dashboards/types'
import type { MetricDefinition } from './define'

/**
 * The review page's filters (年度, 项目, 部门) mapped onto each metric's own parameters. Which
 * filters a metric follows is read from its parameter schema, so a panel's declared `filters`
 * (dashboards/) can be checked against what its metric really applies.
 */
export type ReviewFilterValues = Partial<Record<ReviewFilterKind, string>>

export class ReviewFilterError extends Error {}

function paramNames(metric: MetricDefinition): Set<string> {
  const schema = metric.params as z.ZodType
  return new Set(schema instanceof z.ZodObject ? Object.keys(schema.shape as Record<string, unknown>) : [])
}

/** How a year becomes the metric's parameters, or undefined when it has no way to take one. */
function yearParams(names: Set<string>, year: number): Record<string, unknown> | undefined {
  if (names.has('year')) return { year }
  if (names.has('from') && names.has('to')) return { from: `${year}01`, to: `${year}12` }
  // A trend of the last N months ending at `to`: the year's twelve months.
  if (names.has('to') && names.has('months')) return { to: `${year}12`, months: 12 }
  return undefined
}

export function metricFilterSupport(metric: MetricDefinition): ReviewFilterKind[] {
  const names = paramNames(metric)
  return REVIEW_FILTERS.filter((kind) => (kind === 'year' ? yearParams(names, 2024) !== undefined : names.has(kind)))
}

/** Checks the filter values themselves (the same for every metric); throws naming the field. */
export function parseReviewFilters(values: ReviewFilterValues): ReviewFilterValues {
  const { year, project, dept } = values
  if (year !== undefined && !/^20\d\d$/.test(year)) throw new ReviewFilterError('year: four digits, e.g. 2024')
  if (project !== undefined && !isKnownProject(project)) throw new ReviewFilterError(`project: unknown project code ${JSON.stringify(project.slice(0, 64))} (expected a catalogue code such as P26)`)
  if (dept !== undefined && !(departments as readonly string[]).includes(dept)) throw new ReviewFilterError(`dept: unknown department ${JSON.stringify(dept.slice(0, 32))}`)
  return values
}

/**
 * Adds the filters a metric follows to its parameters. The others are returned as `ignored`: the
 * answer is then unfiltered for them and the page says so on the panel (「不随项目筛选」).
 */
export function applyReviewFilters(
  metric: MetricDefinition,
  input: Record<string, unknown>,
  values: ReviewFilterValues,
): { input: Record<string, unknown>; applied: ReviewFilterKind[]; ignored: ReviewFilterKind[] } {
  const names = paramNames(metric)
  const output = { ...input }
  const applied: ReviewFilterKind[] = []
  const ignored: ReviewFilterKind[] = []
  for (const kind of REVIEW_FILTERS) {
    const value = values[kind]
    if (value === undefined) continue
    const params = kind === 'year' ? yearParams(names, Number(value)) : names.has(kind) ? { [kind]: value } : undefined
    if (params) {
      Object.assign(output, params)
      applied.push(kind)
    } else ignored.push(kind)
  }
  return { input: output, applied, ignored }
}

/**
 * A panel declares exactly the filters its metric follows (with the panel's fixed parameters in
 * place): the page trusts the declaration to mark panels that do not follow a filter.
 */
export function panelFilterProblems(panel: { id: string; metric: string; filters: readonly ReviewFilterKind[] }, metric: MetricDefinition): string[] {
  const supported = metricFilterSupport(metric)
  const problems: string[] = []
  for (const kind of panel.filters)
    if (!supported.includes(kind)) problems.push(`declares filter ${kind}, which ${metric.name} cannot apply`)
  for (const kind of supported)
    if (!panel.filters.includes(kind)) problems.push(`does not declare filter ${kind}, which ${metric.name} applies`)
  return problems
}
