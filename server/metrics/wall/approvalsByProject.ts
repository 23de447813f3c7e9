import { z } from 'zod'
import type { Db } from '../../db/client'
import { WAITING_APPLICATIONS } from '../../rules/catalog/R17-approvalOverdue'
import { ruleParams } from '../../rules/params'
import { rowsPerRegion } from '../leader/perRegionRows'
import type { QueryParams } from '../sql/query'

const projectCountRow = z.object({ region: z.string(), project: z.string(), n: z.coerce.number() })

/**
 * Applications waiting at an approval node past its time limit (R17's test: more than 1× the
 * node's SLA), counted per project in the region on `today`. In a warm pass one read serves every
 * region. The caller puts projects under their departments.
 */
export function overdueApprovalsByProject(db: Db, region: string, today: string): Promise<Array<{ project: string; n: number }>> {
  return rowsPerRegion(
    db,
    `overdueApprovalsByProject|${today}`,
    region,
    `(SELECT *, {slaDays:Map(String, UInt32)}[next_node] AS sla FROM (${WAITING_APPLICATIONS}))`,
    (source) => `SELECT region, project_code AS project, count() AS n FROM ${source} AND waited_days > sla GROUP BY region, project`,
    // today and the nodes' time limits (a Map parameter, which QueryParams does not name)
    pickParams(ruleParams({ today }), ['today', 'slaDays']),
    projectCountRow,
  )
}

function pickParams(params: Record<string, unknown>, names: string[]): QueryParams {
  return Object.fromEntries(names.map((name) => [name, params[name]])) as QueryParams
}
