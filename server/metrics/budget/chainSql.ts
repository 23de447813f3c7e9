import { z } from 'zod'
import { departments, isKnownProject } from '../../catalogue'
import type { Db } from '../../db/client'
import { countyOf } from '../../../geo/regions'
import { budgetCondition, budgetRegionParam, levelOf } from '../sql/region'
import { selectOne, type QueryParams } from '../sql/query'
import { dayParam } from '../sql/time'
import { beijingDay } from '../../beijingTime'

const yearRow = z.object({ year: z.coerce.number() })

/**
 * The budget chain of one fiscal year: the year's indicators (in the region's county, or all for
 * the city), their spending plans, those plans' vouchers and what reached personal cards against
 * each voucher (agg_voucher_paid, 成功 only). Budget is held per county (mof_div_code), so a town
 * or village reads its county's chain.
 */
export const budgetParams = z
  .object({
    region: budgetRegionParam,
    year: z.coerce.number().int().min(2000).max(2099).optional().describe('fiscal year; default the latest with indicators'),
    day: dayParam.optional().describe('as-of day for 序时进度; default today in Shanghai'),
    project: z.string().refine(isKnownProject, 'unknown project code (expected a catalogue code such as P26)').optional(),
    dept: z.enum(departments).optional().describe('主管部门'),
  })
  .strict()
export type BudgetParams = z.infer<typeof budgetParams>

export interface ChainScope {
  /** `WHERE` condition on budget_indicator for the region (pair with `params`). */
  regionCondition: string
  params: QueryParams
  year: number
  day: string
  /** Review filters, applied to the chain's indicator rows (the query itself stays shared). */
  only: { project?: string; dept?: string }
}

/** Resolves the year (latest with indicators unless given) and the region condition. */
export async function chainScope(db: Db, params: BudgetParams): Promise<ChainScope> {
  const day = params.day ?? beijingDay()
  const year = params.year ?? (await latestFiscalYear(db)) ?? Number(day.slice(0, 4))
  const county = levelOf(params.region) === 'city' ? '' : countyOf(params.region)!
  return { regionCondition: budgetCondition(params.region), params: { year, county }, year, day, only: { project: params.project, dept: params.dept } }
}

async function latestFiscalYear(db: Db): Promise<number | undefined> {
  const row = await selectOne(db, 'SELECT max(fiscal_year) AS year FROM budget_indicator', {}, yearRow)
  return row.year > 0 ? row.year : undefined
}
