import type { Db } from '../../db/client'
import { WAITING_APPLICATIONS } from '../catalog/R17-approvalOverdue'
import { ruleParams } from '../params'
import { scopeCondition } from '../scope'
import { select } from '../sql'

export const APPROVAL_NODES = ['村评', '镇审', '县定', '市管'] as const

export interface OverdueByNode {
  node: string
  /** waiting past 1× the node's SLA (提醒) but not 2× */
  reminders: number
  /** waiting past 2× the SLA (督办) */
  escalations: number
}

/** R17 counted live: applications waiting at each node, split into reminders and escalations. */
export async function approvalsOverdue(db: Db, scope: string, today: string): Promise<OverdueByNode[]> {
  const where = scopeCondition(scope)
  const rows = await select<{ node: string; reminders: string; escalations: string }>(
    db,
    `SELECT next_node AS node,
            countIf(waited_days > sla AND waited_days <= 2 * sla) AS reminders,
            countIf(waited_days > 2 * sla) AS escalations
     FROM (SELECT *, {slaDays:Map(String, UInt32)}[next_node] AS sla FROM (${WAITING_APPLICATIONS}))
     WHERE ${where.sql} AND waited_days > sla
     GROUP BY node`,
    { ...ruleParams({ today }), ...where.params },
  )
  const byNode = new Map(rows.map((row) => [row.node, row]))
  return APPROVAL_NODES.map((node) => ({
    node,
    reminders: Number(byNode.get(node)?.reminders ?? 0),
    escalations: Number(byNode.get(node)?.escalations ?? 0),
  }))
}
