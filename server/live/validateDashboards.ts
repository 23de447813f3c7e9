import { CITY_CODE } from '../../geo/regions'
import type { Dashboard } from '../../dashboards/types'
import { getMetric, MetricParamsError, parseMetricParams, type MetricRegistry } from '../metrics/registry'
import { panelFilterProblems } from '../metrics/reviewFilters'

export class DashboardConfigError extends Error {}

/**
 * Start-up check: every panel names a registered metric, its fixed parameters parse (with the
 * city as region, which every metric accepts) and it declares the review filters its metric follows. Throws naming the theme and the panel.
 */
export function validateDashboards(dashboards: Iterable<Dashboard>, registry: MetricRegistry): void {
  const problems: string[] = []
  for (const dashboard of dashboards) {
    for (const panel of dashboard.panels) {
      const where = `theme ${dashboard.id}, panel ${panel.id}`
      if (!registry.has(panel.metric)) {
        problems.push(`${where}: unknown metric ${panel.metric}`)
        continue
      }
      try {
        parseMetricParams(panel.metric, { ...panel.params, region: CITY_CODE }, registry)
      } catch (error) {
        if (!(error instanceof MetricParamsError)) throw error
        problems.push(`${where}: bad params for ${panel.metric}: ${error.issues.join('; ')}`)
      }
      for (const problem of panelFilterProblems(panel, getMetric(panel.metric, registry))) problems.push(`${where}: ${problem}`)
    }
  }
  if (problems.length) throw new DashboardConfigError(problems.join('\n'))
}
