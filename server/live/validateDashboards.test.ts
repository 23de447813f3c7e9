import { describe, expect, it } from 'vitest'
import { dashboards } from '../../dashboards'
import { dashboardSchema, type Dashboard } from '../../dashboards/types'
import { metricRegistry } from '../metrics/registry'
import { validateDashboards } from './validateDashboards'

const theme = (panels: Array<{ id: string; metric: string; params?: Record<string, string | number>; filters?: Array<'year' | 'project' | 'dept'> }>): Dashboard =>
  dashboardSchema.parse({
    id: 'payments',
    title: '发放分析',
    panels: panels.map((panel, i) => ({ title: panel.id, kind: 'kpi', period: 'all', grid: { x: i, y: 0, w: 1, h: 1 }, ...panel })),
  })

describe('validateDashboards', () => {
  it('names the theme and panel of an unknown metric', () => {
    expect(() => validateDashboards([theme([{ id: 'total', metric: 'payments.total' }, { id: 'ghost', metric: 'payments.ghost' }])], metricRegistry)).toThrow(
      'theme payments, panel ghost: unknown metric payments.ghost',
    )
  })

  it('names the theme and panel of bad parameters', () => {
    expect(() => validateDashboards([theme([{ id: 'trend', metric: 'payments.byMonth', params: { months: 'many' } }])], metricRegistry)).toThrow(
      /theme payments, panel trend: bad params for payments.byMonth: months/,
    )
    expect(() => validateDashboards([theme([{ id: 'top', metric: 'payments.byProject', params: { limit: 5, colour: 'red' } }])], metricRegistry)).toThrow(
      /panel top/,
    )
  })

  it('names a panel whose declared filters differ from what its metric applies', () => {
    // payments.total follows year, project and department; flags.open follows none.
    expect(() => validateDashboards([theme([{ id: 'total', metric: 'payments.total', filters: ['year', 'project'] }])], metricRegistry)).toThrow(
      'theme payments, panel total: does not declare filter dept, which payments.total applies',
    )
    expect(() => validateDashboards([theme([{ id: 'open', metric: 'flags.open', filters: ['year'] }])], metricRegistry)).toThrow(
      'theme payments, panel open: declares filter year, which flags.open cannot apply',
    )
    expect(() => validateDashboards([theme([{ id: 'total', metric: 'payments.total', filters: ['year', 'project', 'dept'] }])], metricRegistry)).not.toThrow()
  })

  it('accepts every panel of the real themes', () => {
    expect(() => validateDashboards(Object.values(dashboards), metricRegistry)).not.toThrow()
  })
})
