import { z } from 'zod'
import { defineMetric } from '../../metrics/define'
import { regionCondition, regionParam } from '../../metrics/sql/region'
import { dayParam } from '../../metrics/sql/time'
import { approvalsOverdue } from '../ledger/approvals'
import { evaluationDay, shanghaiToday } from '../params'
import { select } from '../sql'
import { getRule } from '../catalog/index'
import { getRegion } from '../../../geo/regions'
import { ledgerSummary } from './ledgerSummary'

/**
 * `day` (YYYY-MM-DD) is the date deadlines are measured against: today in Shanghai for ledger items
 * (people's deadlines), the rules' evaluation day for approvals (the data's own clock).
 */
const regionAndDay = z.object({ region: regionParam, day: dayParam.optional() }).strict()
const CLOSED: ReadonlySet<string> = new Set(['已销号', '核实无问题'])
const ESCALATED = `status IN ('待核实', '整改中') AND deadline < {day:Date}`

export const ledgerClosureRate = defineMetric({
  name: 'ledger.closureRate',
  title: '整改销号率',
  params: z.object({ region: regionParam }).strict(),
  reads: ['ledger'],
  run: async (db, { region }) => {
    // The day does not change the rate; today's is the summary ledger.byStatus reads too.
    const rows = await ledgerSummary(db, region, shanghaiToday())
    const total = rows.reduce((sum, row) => sum + row.n, 0)
    const closed = rows.reduce((sum, row) => (CLOSED.has(row.status) ? sum + row.n : sum), 0)
    return { kind: 'value', value: total === 0 ? 0 : Math.round((10000 * closed) / total) / 100 }
  },
})

/** 督办 is shown as its own bar: open items past their deadline, taken out of 待核实 / 整改中. */
const STATUS_BARS = ['待核实', '整改中', '督办', '已销号', '核实无问题'] as const

export const ledgerByStatus = defineMetric({
  name: 'ledger.byStatus',
  title: '台账状态',
  params: regionAndDay,
  reads: ['ledger'],
  run: async (db, { region, day }) => {
    const byBar = new Map<string, number>()
    for (const row of await ledgerSummary(db, region, day ?? shanghaiToday())) {
      const bar = row.escalated ? '督办' : row.status
      byBar.set(bar, (byBar.get(bar) ?? 0) + row.n)
    }
    return { kind: 'series', categories: [...STATUS_BARS], series: [{ name: '事项数', values: STATUS_BARS.map((bar) => byBar.get(bar) ?? 0) }] }
  },
})

export const ledgerOverdue = defineMetric({
  name: 'ledger.overdue',
  title: '逾期未整改清单',
  params: z.object({ region: regionParam, day: dayParam.optional(), limit: z.coerce.number().int().min(1).max(200).default(30) }).strict(),
  reads: ['ledger'],
  personColumns: ['title'],
  run: async (db, { region, day, limit }) => {
    const rows = await select<{ item_id: string; rule_id: string; title: string; owner_dept: string; owner_person: string; deadline_text: string; status_text: string; days: string; county_code: string; town_code: string; village_code: string }>(
      db,
      `SELECT item_id, rule_id, title, owner_dept, owner_person, toString(deadline) AS deadline_text, toString(status) AS status_text,
              dateDiff('day', deadline, {day:Date}) AS days, county_code, town_code, village_code
       FROM ledger_item FINAL WHERE ${ESCALATED} AND ${regionCondition(region)}
       ORDER BY days DESC, item_id LIMIT {limit:UInt32}`,
      { region, day: day ?? shanghaiToday(), limit },
    )
    return {
      kind: 'table',
      // 问题类别 and 地区 carry no personal data, so a wall (which never gets `title`) still says what and where
      columns: [
        { key: 'category', title: '问题类别' },
        { key: 'place', title: '地区' },
        { key: 'title', title: '问题' },
        { key: 'ownerDept', title: '责任单位' },
        { key: 'ownerPerson', title: '责任人' },
        { key: 'deadline', title: '整改时限' },
        { key: 'daysOverdue', title: '逾期天数' },
        { key: 'status', title: '状态' },
      ],
      rows: rows.map((row) => ({
        id: row.item_id,
        category: getRule(row.rule_id)?.name ?? row.rule_id,
        place: getRegion(row.village_code || row.town_code || row.county_code)?.name ?? row.county_code,
        title: row.title,
        ownerDept: row.owner_dept,
        ownerPerson: row.owner_person,
        deadline: row.deadline_text,
        daysOverdue: Number(row.days),
        status: row.status_text,
      })),
    }
  },
})

export const approvalsOverdueMetric = defineMetric({
  name: 'approvals.overdue',
  title: '审批超时（提醒/督办）',
  params: regionAndDay,
  reads: ['workflow'],
  run: async (db, { region, day }) => {
    const rows = await approvalsOverdue(db, region, day ?? evaluationDay())
    return {
      kind: 'series',
      categories: rows.map((row) => row.node),
      series: [
        { name: '提醒', values: rows.map((row) => row.reminders) },
        { name: '督办', values: rows.map((row) => row.escalations) },
      ],
    }
  },
})
