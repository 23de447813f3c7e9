import type { z } from 'zod'
import type { dashboardSchema } from './types'

/**
 * 预算执行: the money chain 分配 → 下达 → 用款计划 → 凭证 → 明细 and execution against 序时进度
 * (the share of the year elapsed) by region and department; idle funds in paying-bank accounts.
 */
export const budget: z.input<typeof dashboardSchema> = {
  id: 'budget',
  title: '预算执行',
  dwellSec: 30,
  panels: [
    {
      id: 'execution-rate', title: '预算执行率（对比序时进度）', metric: 'budget.executionRate', period: 'fiscalYear', filters: ['year', 'project', 'dept'], kind: 'gauge', unit: '%', grid: { x: 0, y: 0, w: 6, h: 5 },
      thresholds: [{ below: 60, level: 'warn' }], staleAfterSec: 600,
    },
    { id: 'chain', title: '资金链条：分配 → 下达 → 用款计划 → 凭证 → 明细', metric: 'budget.chain', period: 'fiscalYear', filters: ['year', 'project', 'dept'], kind: 'funnel', unit: '元', grid: { x: 6, y: 0, w: 12, h: 5 }, staleAfterSec: 600 },
    {
      id: 'idle-funds', title: '代发账户沉淀资金', metric: 'budget.idleFunds', period: 'now', kind: 'kpi', unit: '元', grid: { x: 18, y: 0, w: 6, h: 2 },
      thresholds: [{ above: 10_000_000, level: 'warn' }, { above: 50_000_000, level: 'critical' }], staleAfterSec: 600,
    },
    {
      id: 'failed-open', title: '失败未重发', metric: 'payments.failedOpen', period: 'now', kind: 'kpi', unit: '笔', grid: { x: 18, y: 2, w: 6, h: 3 },
      thresholds: [{ above: 100, level: 'warn' }], staleAfterSec: 300,
    },
    {
      id: 'by-region', title: '各地区预算执行率', metric: 'budget.executionByRegion', period: 'fiscalYear', filters: ['year', 'project', 'dept'], kind: 'hbar', unit: '%', grid: { x: 0, y: 5, w: 6, h: 7 },
      thresholds: [{ behind: 10, level: 'warn' }, { behind: 25, level: 'critical' }], staleAfterSec: 600,
    },
    {
      id: 'by-dept', title: '各部门预算执行率', metric: 'budget.executionByDept', period: 'fiscalYear', filters: ['year', 'project', 'dept'], kind: 'bar', unit: '%', grid: { x: 6, y: 5, w: 12, h: 7 },
      thresholds: [{ behind: 10, level: 'warn' }, { behind: 25, level: 'critical' }], staleAfterSec: 600,
    },
    { id: 'by-project', title: '项目支付与下达', metric: 'budget.executionByProject', params: { limit: 10 }, period: 'fiscalYear', filters: ['year', 'project', 'dept'], kind: 'hbar', unit: '元', grid: { x: 18, y: 5, w: 6, h: 7 }, staleAfterSec: 600 },
  ],
  portrait: [
    { h: 2, panels: ['idle-funds', 'failed-open'] },
    { h: 5, panels: ['execution-rate', 'by-region'] },
    { h: 5, panels: ['chain'] },
    { h: 6, panels: ['by-dept'] },
    { h: 6, panels: ['by-project'] },
  ],
}
