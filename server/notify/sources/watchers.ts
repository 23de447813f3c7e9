import type { Db } from '../../db/client'
import { WAITING_APPLICATIONS } from '../../rules/catalog/R17-approvalOverdue'
import { maskIdSql } from '../../rules/maskSql'
import { ruleParams } from '../../rules/params'
import type { NotifyEvent } from '../types'
import { eventRegion } from './region'

/**
 * Cases that appear with the passing of time rather than with new data: ledger items past their
 * deadline, applications waiting past 1× (提醒) or 2× (督办) their node's SLA. Each event id carries
 * what makes it a new case (the deadline; the node and the step), so a re-scan finds the same ids.
 */
export async function overdueLedgerItems(db: Db, today: string): Promise<NotifyEvent[]> {
  const result = await db.client.query({
    query: `SELECT item_id, rule_id, county_code, town_code, village_code, title, owner_dept, deadline, status,
                   dateDiff('day', deadline, {today:Date}) AS days_over
            FROM ledger_item FINAL
            WHERE status IN ('待核实', '整改中') AND deadline < {today:Date}`,
    query_params: { today },
    format: 'JSONEachRow',
  })
  const rows = await result.json<{ item_id: string; rule_id: string; county_code: string; town_code: string; village_code: string; title: string; owner_dept: string; deadline: string; status: string; days_over: number }>()
  return rows.map((row) => {
    const region = eventRegion(row)
    return {
      eventId: `ledger:${row.item_id}:${row.deadline}`,
      kind: 'ledger_overdue',
      severity: Number(row.days_over) >= 30 ? 'critical' : 'warn',
      regionCode: region.code,
      regionName: region.name,
      // The title is the rule name and the flag's masked subject; the owner's name is left out.
      title: row.title,
      text: `台账 ${row.item_id}：${row.status}，责任单位 ${row.owner_dept}，期限 ${row.deadline}，已逾期 ${row.days_over} 天`,
      link: `/region/${region.code}?ledger=${encodeURIComponent(row.item_id)}`,
      occurredAt: new Date().toISOString(),
    } satisfies NotifyEvent
  })
}

const NODE_NUMBER: Record<string, number> = { 户报: 1, 村评: 2, 镇审: 3, 县定: 4, 市管: 5 }

export async function overdueApprovals(db: Db, today: string): Promise<NotifyEvent[]> {
  const result = await db.client.query({
    query: `SELECT application_id, next_node, waited_days, sla, county_code, town_code, village_code, ${maskIdSql('id_number')} AS who
            FROM (SELECT *, {slaDays:Map(String, UInt32)}[next_node] AS sla FROM (${WAITING_APPLICATIONS}))
            WHERE waited_days > sla`,
    query_params: ruleParams({ today }),
    format: 'JSONEachRow',
  })
  const rows = await result.json<{ application_id: string; next_node: string; waited_days: number; sla: number; county_code: string; town_code: string; village_code: string; who: string }>()
  return rows.map((row) => {
    const region = eventRegion(row)
    const escalated = Number(row.waited_days) > 2 * Number(row.sla)
    return {
      // ASCII ids (node by its number): the key travels in mail headers and robot texts.
      eventId: `r17:${escalated ? 'escalate' : 'remind'}:${row.application_id}:node${NODE_NUMBER[row.next_node] ?? 0}`,
      kind: escalated ? 'r17_escalation' : 'r17_reminder',
      severity: escalated ? 'critical' : 'warn',
      regionCode: region.code,
      regionName: region.name,
      title: `审批超时${escalated ? '督办' : '提醒'}：待${row.next_node}`,
      text: `申请 ${row.who} 待${row.next_node}已等 ${row.waited_days} 天（时限 ${row.sla} 天）`,
      link: `/region/${region.code}`,
      occurredAt: new Date().toISOString(),
    } satisfies NotifyEvent
  })
}
