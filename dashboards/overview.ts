import type { z } from 'zod'
import type { dashboardSchema } from './types'

/**
 * 总览: the command-center front page. KPI strip on top, rankings left, the city map in the
 * centre with the trend under it, the live flag ticker and today's payments by hour on the right.
 */
export const overview: z.input<typeof dashboardSchema> = {
  id: 'overview',
  title: '总览',
  dwellSec: 40,
  panels: [
    { id: 'total', title: '累计发放金额', metric: 'payments.total', period: 'all', filters: ['year', 'project', 'dept'], kind: 'kpi', unit: '元', grid: { x: 0, y: 0, w: 3, h: 2 }, staleAfterSec: 300 },
    { id: 'count', title: '累计发放人次', metric: 'payments.count', period: 'all', filters: ['year', 'project', 'dept'], kind: 'kpi', unit: '人次', grid: { x: 3, y: 0, w: 3, h: 2 }, staleAfterSec: 300 },
    { id: 'persons', title: '惠及群众', metric: 'payments.persons', period: 'all', filters: ['year', 'project', 'dept'], kind: 'kpi', unit: '人', grid: { x: 6, y: 0, w: 3, h: 2 }, staleAfterSec: 600 },
    { id: 'today-amount', title: '今日发放金额', metric: 'payments.todayAmount', period: 'today', kind: 'kpi', unit: '元', grid: { x: 9, y: 0, w: 3, h: 2 }, staleAfterSec: 60 },
    { id: 'today-count', title: '今日发放笔数', metric: 'payments.todayCount', period: 'today', kind: 'kpi', unit: '笔', grid: { x: 12, y: 0, w: 3, h: 2 }, staleAfterSec: 60 },
    {
      id: 'success-rate', title: '发放成功率', metric: 'payments.successRate', period: 'all', filters: ['year', 'project', 'dept'], kind: 'kpi', unit: '%', grid: { x: 15, y: 0, w: 3, h: 2 },
      thresholds: [{ below: 99.5, level: 'warn' }, { below: 98, level: 'critical' }], staleAfterSec: 120,
    },
    {
      id: 'flags-open', title: '未处置预警', metric: 'flags.open', period: 'now', kind: 'kpi', unit: '条', grid: { x: 18, y: 0, w: 3, h: 2 },
      thresholds: [{ above: 500, level: 'warn' }], staleAfterSec: 120,
    },
    {
      id: 'closure-rate', title: '问题整改销号率', metric: 'ledger.closureRate', period: 'all', kind: 'kpi', unit: '%', grid: { x: 21, y: 0, w: 3, h: 2 },
      thresholds: [{ below: 80, level: 'warn' }], staleAfterSec: 600,
    },
    { id: 'by-project', title: '项目发放排名', metric: 'payments.byProject', params: { limit: 10 }, period: 'all', filters: ['year', 'project', 'dept'], kind: 'hbar', unit: '元', grid: { x: 0, y: 2, w: 6, h: 5 }, staleAfterSec: 300 },
    { id: 'by-dept', title: '部门发放占比', metric: 'payments.byDept', period: 'all', filters: ['year', 'project', 'dept'], kind: 'pie', unit: '元', grid: { x: 0, y: 7, w: 6, h: 5 }, staleAfterSec: 300 },
    { id: 'map', title: '各地区发放金额', metric: 'payments.byChildRegion', period: 'all', filters: ['year'], kind: 'map', unit: '元', grid: { x: 6, y: 2, w: 12, h: 6 }, staleAfterSec: 300 },
    { id: 'trend', title: '月度发放趋势', metric: 'payments.byMonth', params: { months: 24 }, period: 'months24', filters: ['year', 'project', 'dept'], kind: 'line', unit: '元', grid: { x: 6, y: 8, w: 12, h: 4 }, staleAfterSec: 600 },
    { id: 'ticker', title: '实时预警', metric: 'flags.ticker', params: { limit: 20 }, period: 'now', kind: 'ticker', grid: { x: 18, y: 2, w: 6, h: 6 }, staleAfterSec: 120 },
    { id: 'by-hour', title: '今日分时发放', metric: 'payments.byHour', period: 'today', kind: 'bar', unit: '元', grid: { x: 18, y: 8, w: 6, h: 4 }, staleAfterSec: 60, empty: '今日尚无发放' },
  ],
  portrait: [
    { h: 2, panels: ['total', 'count', 'persons', 'today-amount'] },
    { h: 2, panels: ['today-count', 'success-rate', 'flags-open', 'closure-rate'] },
    { h: 6, panels: ['map'] },
    { h: 4, panels: ['trend'] },
    { h: 5, panels: ['by-project', 'ticker'] },
    { h: 5, panels: ['by-dept', 'by-hour'] },
  ],
}
