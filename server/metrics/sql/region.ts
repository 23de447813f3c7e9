import { z } from 'zod'
import { childrenOf, getRegion, isKnownRegion, type RegionLevel } from '../../../geo/regions'
import { regionFilter } from '../../db/regionFilter'

/**
 * Region scoping for rollup queries. The SQL fragments below are fixed strings chosen by the
 * region's level (a whitelist); the code itself always travels as the `{region:String}` parameter.
 */
export const regionParam = z
  .string()
  .refine(isKnownRegion, { message: '未知的地区代码' })
  .describe('region code: 511000 (city), a county, town or village')

/** Region parameter for metrics broken down by the region's children: a village has none (400, not 500). */
export const regionWithChildrenParam = regionParam.refine((code) => getRegion(code)?.level !== 'village', {
  message: '村（社区）没有下级地区',
})

/** Region parameter for metrics whose rollup stops at town level (no village column). */
export const regionUpToTownParam = regionParam.refine((code) => getRegion(code)?.level !== 'village', {
  message: '该指标只统计到乡镇（街道）一级',
})

export function levelOf(code: string): RegionLevel {
  const region = getRegion(code)
  if (!region) throw new Error(`unknown region ${code}`)
  return region.level
}

/** `WHERE` condition limiting a rollup to the region; pair it with `{ region }` in query_params. */
export function regionCondition(code: string): string {
  return regionFilter(code).sql
}

/** Column holding the region's children: city → county_code, county → town_code, town → village_code. */
const childColumnByLevel: Partial<Record<RegionLevel, string>> = {
  city: 'county_code',
  county: 'town_code',
  town: 'village_code',
}

export function childColumn(code: string): string {
  const column = childColumnByLevel[levelOf(code)]
  if (!column) throw new Error('村（社区）没有下级地区')
  return column
}

/** Children in code order, so every child shows up (with 0) even without payments. */
export function childRegions(code: string): Array<{ code: string; name: string }> {
  return childrenOf(code).map(({ code: childCode, name }) => ({ code: childCode, name }))
}

/**
 * Budget is held per county (mof_div_code): a town or village has no budget figures of its own.
 * Budget metrics refuse them (400) rather than show the county's figures under a town's name.
 */
export const budgetRegionParam = regionParam.refine((code) => getRegion(code)?.level === 'city' || getRegion(code)?.level === 'county', {
  message: '预算按区县管理：乡镇（街道）和村没有自己的预算数，请查看所属区县',
})

export function budgetCondition(code: string): string {
  return levelOf(code) === 'city' ? '1' : 'county_code = {county:String}'
}
