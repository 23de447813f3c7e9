import { z } from 'zod'
import { defineMetric } from '../define'
import { regionCondition, regionParam } from '../sql/region'
import { dayParam } from '../sql/time'
import { APPROVAL_NODES, approvalsOverdue, type OverdueByNode } from '../../rules/ledger/approvals'
import { WAITING_APPLICATIONS } from '../../rules/catalog/R17-approvalOverdue'
import type { Db } from '../../db/client'
import { perRegion } from '../sql/query'
import { evaluationDay, ruleParams } from '../../rules/params'
import { select } from '../../rules/sql'
import { getRule } from '../../rules/catalog/index'
import { getRegion } from '../../../geo/regions'
import { ledgerSummary } from './ledgerSummary'
import { beijingDay } from '../../beijingTime'

/**
 * `day` (YYYY-MM-DD) is the date deadlines are measured against: today in Beijing for ledger items
 * and approvals alike (the rules' evaluation day, which is the clock's unless a script fixed one).
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
    const rows = await ledgerSummary(db, region, beijingDay())
    const total = rows.reduce((sum, row) => sum + row.n, 0)
    const closed = rows.reduce((sum, row) => (CLOSED.has(row.status) ? sum + row.n : sum), 0)
    // A rate over no items does not exist: shown as 0.0 % (under the 80 % warning line) it read as
    // "nothing was closed" where nothing had been put in the ledger yet.
    if (total === 0) return { kind: 'notApplicable', reason: '尚无入台账事项' }
    // The numerator and denominator go with the rate: it is of ledger items, not of all warnings.
    return { kind: 'value', value: Math.round((10000 * closed) / total) / 100, note: `已销号 ${closed} / 入台账 ${total} 条` }
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
    for (const row of await ledgerSummary(db, region, day ?? beijingDay())) {
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
    const rows = await overdueItems(db, region, day ?? beijingDay(), limit)
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
    const rows = await overdueApprovals(db, region, day ?? evaluationDay())
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

type OverdueItemRow = {
  item_id: string; rule_id: string; title: string; owner_dept: string; owner_person: string; deadline_text: string; status_text: string; days: string
  county_code: string; town_code: string; village_code: string
}
const OVERDUE_ITEM_COLUMNS = `item_id, rule_id, title, owner_dept, owner_person, toString(deadline) AS deadline_text, toString(status) AS status_text,
              dateDiff('day', deadline, {day:Date}) AS days, county_code, town_code, village_code`

/** Escalated items, most overdue first; in a warm pass the first `limit` of every region in one read (LIMIT … BY). */
function overdueItems(db: Db, region: string, day: string, limit: number): Promise<OverdueItemRow[]> {
  return perRegion(db, `overdueItems|${day}|${limit}`, region, {
    all: async (regions) => {
      const rows = await select<OverdueItemRow & { region: string }>(
        db,
        `SELECT arrayJoin(['511000', toString(county_code), toString(town_code)]) AS region, ${OVERDUE_ITEM_COLUMNS}
         FROM ledger_item FINAL WHERE ${ESCALATED}
         ORDER BY region, days DESC, item_id LIMIT {limit:UInt32} BY region`,
        { day, limit },
      )
      const byRegion = new Map<string, OverdueItemRow[]>()
      for (const row of rows) if (regions.includes(row.region)) byRegion.set(row.region, [...(byRegion.get(row.region) ?? []), row])
      return byRegion
    },
    one: () =>
      select<OverdueItemRow>(
        db,
        `SELECT ${OVERDUE_ITEM_COLUMNS}
         FROM ledger_item FINAL WHERE ${ESCALATED} AND ${regionCondition(region)}
         ORDER BY days DESC, item_id LIMIT {limit:UInt32}`,
        { region, day, limit },
      ),
    empty: [],
  })
}

/** R17 counted live per node; in a warm pass the waiting applications are read once for every region. */
function overdueApprovals(db: Db, region: string, day: string): Promise<OverdueByNode[]> {
  return perRegion(db, `overdueApprovals|${day}`, region, {
    all: async (regions) => {
      const rows = await select<{ region: string; node: string; reminders: string; escalations: string }>(
        db,
        `SELECT arrayJoin(['511000', toString(county_code), toString(town_code)]) AS region, next_node AS node,
                countIf(waited_days > sla AND waited_days <= 2 * sla) AS reminders,
                countIf(waited_days > 2 * sla) AS escalations
         FROM (SELECT *, {slaDays:Map(String, UInt32)}[next_node] AS sla FROM (${WAITING_APPLICATIONS}))
         WHERE waited_days > sla
         GROUP BY region, node`,
        ruleParams({ today: day }),
      )
      return new Map(
        regions.map((code) => {
          const byNode = new Map(rows.filter((row) => row.region === code).map((row) => [row.node, row]))
          return [
            code,
            APPROVAL_NODES.map((node) => ({
              node,
              reminders: Number(byNode.get(node)?.reminders ?? 0),
              escalations: Number(byNode.get(node)?.escalations ?? 0),
            })),
          ]
        }),
      )
    },
    one: () => approvalsOverdue(db, region, day),
    empty: [],
  })
}
