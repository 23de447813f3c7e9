import type { z } from 'zod'
import type { dashboardSchema } from './types'

/** 问题整改: the problem ledger (清单制 + 责任制 + 销号制): status, closure rate, overdue items. */
export const rectification: z.input<typeof dashboardSchema> = {
  id: 'rectification',
  title: '问题整改',
  dwellSec: 25,
  panels: [
    { id: 'closure-rate', title: '整改销号率', metric: 'ledger.closureRate', period: 'all', kind: 'gauge', unit: '%', grid: { x: 0, y: 0, w: 6, h: 5 }, thresholds: [{ below: 80, level: 'warn' }], staleAfterSec: 600 },
    { id: 'open', title: '未处置预警', metric: 'flags.open', period: 'now', kind: 'kpi', unit: '条', grid: { x: 6, y: 0, w: 6, h: 2 }, staleAfterSec: 300 },
    { id: 'critical-amount', title: '未处置重大预警涉及金额', metric: 'flags.criticalAmount', period: 'now', kind: 'kpi', unit: '元', grid: { x: 12, y: 0, w: 6, h: 2 }, thresholds: [{ above: 0, level: 'critical' }], staleAfterSec: 300 },
    { id: 'by-status', title: '台账状态', metric: 'ledger.byStatus', period: 'all', kind: 'pie', unit: '条', grid: { x: 18, y: 0, w: 6, h: 5 }, staleAfterSec: 600, empty: '尚无入台账事项' },
    { id: 'time-to-close', title: '平均整改用时（天）', metric: 'ledger.timeToClose', period: 'months12', kind: 'bar', unit: '天', grid: { x: 6, y: 2, w: 12, h: 3 }, staleAfterSec: 600 },
    { id: 'overdue-list', title: '逾期未整改清单', metric: 'ledger.overdue', period: 'now', kind: 'table', grid: { x: 0, y: 5, w: 14, h: 7 }, staleAfterSec: 600, empty: '无逾期未整改事项' },
    { id: 'late-depts', title: '逾期责任部门', metric: 'ledger.overdueByDept', period: 'now', kind: 'hbar', unit: '条', grid: { x: 14, y: 5, w: 5, h: 7 }, staleAfterSec: 600, empty: '无逾期未整改事项或超时审批' },
    { id: 'top-villages', title: '问题村（社区）涉及金额', metric: 'flags.topVillages', period: 'now', kind: 'hbar', unit: '元', grid: { x: 19, y: 5, w: 5, h: 7 }, staleAfterSec: 600, empty: '无涉及村（社区）的未处置预警' },
  ],
  portrait: [
    { h: 2, panels: ['open', 'critical-amount'] },
    { h: 5, panels: ['closure-rate', 'by-status'] },
    { h: 3, panels: ['time-to-close'] },
    { h: 8, panels: ['overdue-list'] },
    { h: 6, panels: ['late-depts', 'top-villages'] },
  ],
}
