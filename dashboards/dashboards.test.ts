import { describe, expect, it } from 'vitest'
import { dashboards, isThemeId, metricsInUse } from './index'
import { dashboardSchema, portraitGrid, PORTRAIT_COLUMNS, PORTRAIT_ROWS, THEME_IDS } from './types'

/** The metric names agreed in the shared contract; the server's registry check is stricter. */
const CONTRACT_METRICS = new Set([
  'payments.total', 'payments.count', 'payments.persons', 'payments.todayAmount', 'payments.todayCount',
  'payments.successRate', 'payments.failedOpen', 'budget.executionRate', 'budget.idleFunds', 'flags.open',
  'flags.critical', 'ledger.closureRate', 'outreach.enrolled', 'payments.byChildRegion', 'budget.executionByRegion',
  'flags.byRegion', 'payments.byMonth', 'payments.byYear', 'payments.byHour', 'payments.byAgeBand',
  'payments.byProject', 'payments.byDept', 'payments.byBank', 'payments.byStatus', 'budget.executionByDept', 'budget.executionByProject', 'flags.criticalAmount', 'flags.topVillages', 'ledger.timeToClose', 'ledger.overdueByDept',
  'flags.byRule', 'flags.byClass', 'flags.bySeverity', 'ledger.byStatus', 'outreach.byKind', 'outreach.byRegion', 'approvals.overdue',
  'budget.chain', 'outreach.funnel', 'flags.ticker', 'ledger.overdue', 'payments.topVillages', 'payments.prereviewHits',
])

describe('dashboards as code', () => {
  it('defines every theme once and each parses', () => {
    expect(Object.keys(dashboards).sort()).toEqual([...THEME_IDS].sort())
    for (const dashboard of Object.values(dashboards)) expect(dashboardSchema.safeParse(dashboard).success).toBe(true)
  })

  it('places panels on the 24×12 grid without overlap', () => {
    for (const dashboard of Object.values(dashboards)) {
      const taken = new Map<string, string>()
      for (const panel of dashboard.panels) {
        for (let x = panel.grid.x; x < panel.grid.x + panel.grid.w; x++)
          for (let y = panel.grid.y; y < panel.grid.y + panel.grid.h; y++) {
            const cell = `${x},${y}`
            expect(taken.get(cell), `${dashboard.id}: ${panel.id} overlaps ${taken.get(cell)} at ${cell}`).toBeUndefined()
            taken.set(cell, panel.id)
          }
      }
      // a wall has no holes: every cell of the grid belongs to a panel
      expect(taken.size, `${dashboard.id} leaves cells empty`).toBe(24 * 12)
    }
  })

  it('arranges every theme for a portrait screen: each panel once, the 12×24 grid filled without overlap', () => {
    for (const dashboard of Object.values(dashboards)) {
      expect(dashboard.portrait, `${dashboard.id} has no portrait arrangement`).toBeDefined()
      const cells = portraitGrid(dashboard)
      expect(Object.keys(cells).sort()).toEqual(dashboard.panels.map((p) => p.id).sort())
      const taken = new Set<string>()
      for (const [id, grid] of Object.entries(cells))
        for (let x = grid.x; x < grid.x + grid.w; x++)
          for (let y = grid.y; y < grid.y + grid.h; y++) {
            expect(taken.has(`${x},${y}`), `${dashboard.id}: ${id} overlaps at ${x},${y}`).toBe(false)
            taken.add(`${x},${y}`)
          }
      expect(taken.size, dashboard.id).toBe(PORTRAIT_COLUMNS * PORTRAIT_ROWS)
    }
    const missing = { ...dashboards.alerts, portrait: [{ h: 24, panels: ['open'] }] }
    expect(dashboardSchema.safeParse(missing).success).toBe(false)
  })

  it('names only metrics of the shared contract', () => {
    for (const name of metricsInUse()) expect(CONTRACT_METRICS.has(name), name).toBe(true)
  })

  it('gives a chart-able unit to every number panel', () => {
    for (const dashboard of Object.values(dashboards))
      for (const panel of dashboard.panels)
        if (!['table', 'ticker'].includes(panel.kind)) expect(panel.unit, `${dashboard.id}/${panel.id}`).toBeDefined()
  })

  it('rejects a panel that leaves the grid', () => {
    const bad = { ...dashboards.overview, panels: [{ ...dashboards.overview.panels[0], grid: { x: 20, y: 0, w: 6, h: 2 } }] }
    expect(dashboardSchema.safeParse(bad).success).toBe(false)
    expect(isThemeId('overview')).toBe(true)
    expect(isThemeId('nope')).toBe(false)
  })
})
