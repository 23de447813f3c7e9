import type { z } from 'zod'
import type { dashboardSchema } from './types'

/** 政策找人: people who should receive a subsidy and do not — 疑似 → 核实 → 纳入, by program and region. */
export const outreach: z.input<typeof dashboardSchema> = {
  id: 'outreach',
  title: '政策找人',
  dwellSec: 25,
  panels: [
    { id: 'enrolled', title: '已纳入保障', metric: 'outreach.enrolled', period: 'all', kind: 'kpi', unit: '人', grid: { x: 0, y: 0, w: 6, h: 3 }, staleAfterSec: 600 },
    { id: 'funnel', title: '疑似 → 核实 → 纳入', metric: 'outreach.funnel', period: 'all', kind: 'funnel', unit: '人', grid: { x: 6, y: 0, w: 12, h: 7 }, staleAfterSec: 600 },
    { id: 'by-kind', title: '线索类别', metric: 'outreach.byKind', period: 'all', kind: 'hbar', unit: '人', grid: { x: 0, y: 3, w: 6, h: 9 }, staleAfterSec: 600, empty: '尚无找人线索' },
    { id: 'map', title: '各地区政策找人线索', metric: 'outreach.byRegion', period: 'all', kind: 'map', unit: '人', grid: { x: 6, y: 7, w: 12, h: 5 }, staleAfterSec: 600 },
    { id: 'age-pyramid', title: '受益人年龄结构（人数，男/女）', metric: 'payments.byAgeBand', params: { measure: 'persons' }, period: 'all', filters: ['year'], kind: 'hbar', unit: '人', grid: { x: 18, y: 0, w: 6, h: 12 }, staleAfterSec: 600 },
  ],
  portrait: [
    { h: 3, panels: ['enrolled'] },
    { h: 6, panels: ['funnel'] },
    { h: 6, panels: ['map'] },
    { h: 9, panels: ['by-kind', 'age-pyramid'] },
  ],
}
