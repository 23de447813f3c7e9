import type { z } from 'zod'
import type { dashboardSchema } from './types'

/** 发放分析: who was paid, where, when, by which project, department and bank; failures. */
export const payments: z.input<typeof dashboardSchema> = {
  id: 'payments',
  title: '发放分析',
  dwellSec: 30,
  panels: [
    { id: 'total', title: '累计发放金额', metric: 'payments.total', period: 'all', filters: ['year', 'project', 'dept'], kind: 'kpi', unit: '元', grid: { x: 0, y: 0, w: 4, h: 2 }, staleAfterSec: 300 },
    { id: 'count', title: '累计发放人次', metric: 'payments.count', period: 'all', filters: ['year', 'project', 'dept'], kind: 'kpi', unit: '人次', grid: { x: 4, y: 0, w: 4, h: 2 }, staleAfterSec: 300 },
    { id: 'persons', title: '惠及群众', metric: 'payments.persons', period: 'all', filters: ['year', 'project', 'dept'], kind: 'kpi', unit: '人', grid: { x: 8, y: 0, w: 4, h: 2 }, staleAfterSec: 600 },
    { id: 'today-amount', title: '今日发放金额', metric: 'payments.todayAmount', period: 'today', kind: 'kpi', unit: '元', grid: { x: 12, y: 0, w: 4, h: 2 }, staleAfterSec: 60 },
    {
      id: 'success-rate', title: '发放成功率', metric: 'payments.successRate', period: 'all', filters: ['year', 'project', 'dept'], kind: 'kpi', unit: '%', grid: { x: 16, y: 0, w: 4, h: 2 },
      thresholds: [{ below: 99.5, level: 'warn' }, { below: 98, level: 'critical' }], staleAfterSec: 120,
    },
    {
      id: 'failed-open', title: '失败未重发', metric: 'payments.failedOpen', period: 'now', kind: 'kpi', unit: '笔', grid: { x: 20, y: 0, w: 4, h: 2 },
      thresholds: [{ above: 100, level: 'warn' }], staleAfterSec: 120,
    },
    { id: 'age-pyramid', title: '受益人年龄结构（人数，男/女）', metric: 'payments.byAgeBand', params: { measure: 'persons' }, period: 'all', filters: ['year'], kind: 'hbar', unit: '人', grid: { x: 0, y: 2, w: 6, h: 5 }, staleAfterSec: 600 },
    { id: 'map', title: '各地区发放金额', metric: 'payments.byChildRegion', period: 'all', filters: ['year'], kind: 'map', unit: '元', grid: { x: 6, y: 2, w: 12, h: 5 }, staleAfterSec: 300 },
    { id: 'by-status', title: '发放状态', metric: 'payments.byStatus', period: 'all', filters: ['year', 'project', 'dept'], kind: 'pie', unit: '笔', grid: { x: 18, y: 2, w: 6, h: 5 }, staleAfterSec: 120 },
    { id: 'by-month', title: '月度发放（金额/人次）', metric: 'payments.byMonth', params: { months: 24 }, period: 'months24', filters: ['year', 'project', 'dept'], kind: 'line', unit: '元', grid: { x: 0, y: 7, w: 8, h: 5 }, staleAfterSec: 600 },
    { id: 'by-hour', title: '今日分时发放', metric: 'payments.byHour', period: 'today', kind: 'bar', unit: '元', grid: { x: 8, y: 7, w: 5, h: 5 }, staleAfterSec: 60, empty: '今日尚无发放' },
    { id: 'by-bank', title: '代发银行', metric: 'payments.byBank', period: 'all', filters: ['year'], kind: 'pie', unit: '元', grid: { x: 13, y: 7, w: 5, h: 5 }, staleAfterSec: 600 },
    { id: 'by-dept', title: '主管部门', metric: 'payments.byDept', period: 'all', filters: ['year', 'project', 'dept'], kind: 'hbar', unit: '元', grid: { x: 18, y: 7, w: 6, h: 5 }, staleAfterSec: 600 },
  ],
  portrait: [
    { h: 2, panels: ['total', 'count', 'persons'] },
    { h: 2, panels: ['today-amount', 'success-rate', 'failed-open'] },
    { h: 5, panels: ['map'] },
    { h: 4, panels: ['by-month'] },
    { h: 4, panels: ['age-pyramid', 'by-dept'] },
    { h: 4, panels: ['by-status', 'by-bank'] },
    { h: 3, panels: ['by-hour'] },
  ],
}
