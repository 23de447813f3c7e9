import { z } from 'zod'
import { defineMetric } from '../define'
import { regionParam } from '../sql/region'
import { rowsPerRegion } from './perRegionRows'
import { dayParam, monthLabel, monthsEndingAt } from '../sql/time'
import { beijingDay, beijingMonth } from '../../beijingTime'
import { projectByCode } from '../../catalogue'
import { overdueApprovalsByProject } from '../wall/approvalsByProject'
import { seriesOfFigures } from '../../../dashboards/types'

const closeTimeRow = z.object({ region: z.string(), ym: z.coerce.number(), days: z.coerce.number(), n: z.coerce.number() })
const overdueDeptRow = z.object({ region: z.string(), dept: z.string(), n: z.coerce.number(), worst: z.coerce.number() })

/**
 * 平均整改用时: days from a ledger item's creation to its closure (已销号 or 核实无问题), by the
 * month it closed, over the last 12 months. The trend says whether rectification is speeding up.
 */
export const ledgerTimeToClose = defineMetric({
  name: 'ledger.timeToClose',
  title: '平均整改用时',
  params: z.object({ region: regionParam, months: z.coerce.number().int().min(3).max(36).default(12) }).strict(),
  reads: ['ledger'],
  run: async (db, { region, months }) => {
    const window = monthsEndingAt(beijingMonth(), months)
    const rows = await rowsPerRegion(
      db,
      `timeToClose|${window[0]}`,
      region,
      'ledger_item FINAL',
      (source) => `SELECT region, toYYYYMM(closed_at) AS ym, avg(dateDiff('second', created_at, closed_at)) / 86400 AS days, count() AS n
                   FROM ${source} AND status IN ('已销号', '核实无问题') AND closed_at IS NOT NULL AND toYYYYMM(closed_at) >= {first:UInt32}
                   GROUP BY region, ym`,
      { first: window[0] },
      closeTimeRow,
    )
    // an average over no closed items is not 0 days: with none in the window the panel says so
    if (rows.length === 0) return { kind: 'notApplicable', reason: `近${months}个月尚无销号事项` }
    const byMonth = new Map(rows.map((row) => [row.ym, row]))
    return {
      kind: 'series',
      categories: window.map(monthLabel),
      series: [
        // one unit per chart (天); how many closed is in the ledger panels
        // a month in which nothing closed has no average: a gap, not 0 days
        seriesOfFigures('平均用时', window.map((ym) => (byMonth.has(ym) ? Math.round(byMonth.get(ym)!.days * 10) / 10 : null))),
      ],
    }
  },
})

/** 逾期部门: open ledger items past their deadline, by the department that owns them. */
/**
 * 逾期责任部门: per department, open ledger items past their deadline and applications waiting at
 * an approval node past its time limit (R17: 1× the node's SLA or more). An application belongs to
 * its project's 主管部门. Departments with the most of both together come first.
 */
export const ledgerOverdueByDept = defineMetric({
  name: 'ledger.overdueByDept',
  title: '逾期未整改与超时审批（按责任部门）',
  params: z.object({ region: regionParam, day: dayParam.optional() }).strict(),
  reads: ['ledger', 'workflow'],
  run: async (db, { region, day }) => {
    const today = day ?? beijingDay()
    const items = await rowsPerRegion(
      db,
      `overdueByDept|${today}`,
      region,
      'ledger_item FINAL',
      (source) => `SELECT region, owner_dept AS dept, count() AS n, max(dateDiff('day', deadline, {day:Date})) AS worst
                   FROM ${source} AND status IN ('待核实', '整改中') AND deadline < {day:Date}
                   GROUP BY region, dept`,
      { day: today },
      overdueDeptRow,
    )
    const approvals = await overdueApprovalsByProject(db, region, today)
    const byDept = new Map<string, { items: number; worst: number; approvals: number }>()
    const entry = (dept: string) => byDept.get(dept) ?? byDept.set(dept, { items: 0, worst: 0, approvals: 0 }).get(dept)!
    for (const row of items) Object.assign(entry(row.dept || '未指定'), { items: row.n, worst: row.worst })
    for (const row of approvals) entry(projectByCode(row.project)?.dept ?? '未指定').approvals += row.n
    // most late things (items and approvals) first; on a tie the longest-overdue ledger item
    const ranked = [...byDept].sort(([a, x], [b, y]) => y.items + y.approvals - (x.items + x.approvals) || y.worst - x.worst || a.localeCompare(b, 'zh'))
    return {
      kind: 'series',
      categories: ranked.map(([dept]) => dept),
      series: [
        // one unit per chart (条): the longest delay stands in the overdue list beside it
        { name: '逾期条数', values: ranked.map(([, totals]) => totals.items) },
        { name: '超时审批', values: ranked.map(([, totals]) => totals.approvals) },
      ],
    }
  },
})
