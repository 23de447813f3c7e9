import type { z } from 'zod'
import type { dashboardSchema } from './types'

/**
 * 监管预警: live flags by rule, class, severity and region, with map markers for new flags, the
 * ticker, and overdue approvals (reminders vs escalations). The wall jumps here on a critical flag.
 */
export const alerts: z.input<typeof dashboardSchema> = {
  id: 'alerts',
  title: '监管预警',
  dwellSec: 30,
  panels: [
    { id: 'open', title: '未处置预警', metric: 'flags.open', period: 'now', kind: 'kpi', unit: '条', grid: { x: 0, y: 0, w: 5, h: 2 }, thresholds: [{ above: 500, level: 'warn' }], staleAfterSec: 120 },
    { id: 'critical', title: '重大风险预警', metric: 'flags.critical', period: 'now', kind: 'kpi', unit: '条', grid: { x: 5, y: 0, w: 5, h: 2 }, thresholds: [{ above: 0, level: 'critical' }], staleAfterSec: 120 },
    { id: 'failed-open', title: '失败未重发', metric: 'payments.failedOpen', period: 'now', kind: 'kpi', unit: '笔', grid: { x: 10, y: 0, w: 5, h: 2 }, thresholds: [{ above: 100, level: 'warn' }], staleAfterSec: 120 },
    { id: 'prereview', title: '拦截问题数据', metric: 'payments.prereviewHits', period: 'all', kind: 'kpi', unit: '条', grid: { x: 15, y: 0, w: 5, h: 2 }, staleAfterSec: 600 },
    { id: 'closure-rate', title: '整改销号率', metric: 'ledger.closureRate', period: 'all', kind: 'kpi', unit: '%', grid: { x: 20, y: 0, w: 4, h: 2 }, thresholds: [{ below: 80, level: 'warn' }], staleAfterSec: 300 },
    { id: 'by-rule', title: '预警规则排名', metric: 'flags.byRule', period: 'now', kind: 'hbar', unit: '条', grid: { x: 0, y: 2, w: 6, h: 6 }, staleAfterSec: 120 },
    { id: 'by-class', title: '问题数据分类', metric: 'flags.byClass', period: 'now', kind: 'pie', unit: '条', grid: { x: 0, y: 8, w: 6, h: 4 }, staleAfterSec: 300, empty: '无未处置预警' },
    { id: 'map', title: '各地区未处置预警', metric: 'flags.byRegion', period: 'now', kind: 'map', unit: '条', grid: { x: 6, y: 2, w: 12, h: 6 }, staleAfterSec: 120 },
    { id: 'overdue', title: '审批超时（提醒/督办）', metric: 'approvals.overdue', period: 'now', kind: 'bar', unit: '条', grid: { x: 6, y: 8, w: 12, h: 4 }, staleAfterSec: 300, empty: '无超时审批' },
    { id: 'ticker', title: '实时预警', metric: 'flags.ticker', params: { limit: 20 }, period: 'now', kind: 'ticker', grid: { x: 18, y: 2, w: 6, h: 6 }, staleAfterSec: 120 },
    { id: 'by-severity', title: '预警等级', metric: 'flags.bySeverity', period: 'now', kind: 'pie', unit: '条', grid: { x: 18, y: 8, w: 6, h: 4 }, staleAfterSec: 120, empty: '无未处置预警' },
  ],
  portrait: [
    { h: 2, panels: ['open', 'critical'] },
    { h: 2, panels: ['failed-open', 'prereview', 'closure-rate'] },
    { h: 6, panels: ['map'] },
    { h: 5, panels: ['ticker', 'by-rule'] },
    { h: 4, panels: ['overdue'] },
    { h: 5, panels: ['by-class', 'by-severity'] },
  ],
}
