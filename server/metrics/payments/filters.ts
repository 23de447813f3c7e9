import { z } from 'zod'
import { departments, isKnownProject } from '../../catalogue'
import { levelOf, regionCondition, regionParam } from '../sql/region'
import { monthRange, yearMonthParam } from '../sql/time'
import type { QueryParams } from '../sql/query'

/**
 * The filters shared by payment metrics over the monthly rollups: region, months (by pay month)
 * and project. Towns and above read agg_payment_month; a village reads agg_village_month, which
 * has no project column, so "village + project" is refused when the parameters are parsed.
 */
export const paymentFilterShape = {
  region: regionParam,
  from: yearMonthParam.optional().describe('first pay month, YYYYMM'),
  to: yearMonthParam.optional().describe('last pay month, YYYYMM'),
  project: z.string().refine(isKnownProject, 'unknown project code (expected a catalogue code such as P26)').optional().describe('project_code'),
  dept: z.enum(departments).optional().describe('主管部门'),
}

export function refuseVillageProject(params: { region: string; project?: string; dept?: string }, context: z.RefinementCtx): void {
  if (params.project && levelOf(params.region) === 'village')
    context.addIssue({ code: 'custom', path: ['project'], message: '村（社区）一级不能按项目筛选' })
  if (params.dept && levelOf(params.region) === 'village')
    context.addIssue({ code: 'custom', path: ['dept'], message: '村（社区）一级不能按部门筛选' })
}

export const paymentFilterParams = z.object(paymentFilterShape).strict().superRefine(refuseVillageProject)
export type PaymentFilter = z.infer<typeof paymentFilterParams>

export interface MonthRollupQuery {
  table: 'agg_payment_month' | 'agg_village_month'
  where: string
  params: QueryParams
}

export function monthRollupQuery(filter: { region: string; from?: number; to?: number; project?: string; dept?: string }): MonthRollupQuery {
  const table = levelOf(filter.region) === 'village' ? 'agg_village_month' : 'agg_payment_month'
  const months = monthRange(filter)
  const conditions = [regionCondition(filter.region), ...months.conditions]
  const params: QueryParams = { region: filter.region, ...months.params }
  if (filter.project !== undefined) {
    conditions.push('project_code = {project:String}')
    params.project = filter.project
  }
  if (filter.dept !== undefined) {
    conditions.push('dept = {dept:String}')
    params.dept = filter.dept
  }
  return { table, where: conditions.join(' AND '), params }
}
