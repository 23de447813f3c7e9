import { z } from 'zod'
import { defineFlagMetric } from './rulesChecked'
import { childColumn, childRegions, levelOf, regionCondition, regionParam } from '../sql/region'
import { rules } from '../../rules/catalog/index'
import { flagsWithStatus, toListItem, type FlagRow } from '../../rules/queries/listFlags'
import { select } from '../../rules/sql'
import type { Db } from '../../db/client'
import { byRegion, perRegion } from '../sql/query'
import { regionWithChildrenParam } from '../sql/region'
import { amountsWithinScope, amountsWithinScopes } from '../../rules/queries/scopedAmounts'
import { PROBLEM_CLASSES } from '../../rules/types'
import { countOpen, flagSummary, openAndAll } from './flagSummary'

/**
 * Wall metrics over flags. "Open" (未处置) = no ledger item yet, or an item still 待核实 / 整改中;
 * a 政策找人 lead that was enrolled or rejected is not open (OPEN_FLAG_STATUSES, listFlags.ts).
 * The count panels all derive from one summary query per region (flagSummary), shared in a tick.
 */
const regionOnly = z.object({ region: regionParam }).strict()
const SEVERITIES = [
  ['critical', '重大'],
  ['warn', '较大'],
  ['info', '一般'],
] as const

export const flagsOpen = defineFlagMetric({
  name: 'flags.open',
  title: '未处置预警',
  params: regionOnly,
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => ({ kind: 'value', value: countOpen(await flagSummary(db, region)) }),
})

export const flagsCritical = defineFlagMetric({
  name: 'flags.critical',
  title: '重大风险预警',
  params: regionOnly,
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => ({ kind: 'value', value: countOpen(await flagSummary(db, region), (row) => row.severity === 'critical') }),
})

export const flagsByRegion = defineFlagMetric({
  name: 'flags.byRegion',
  title: '各地区未处置预警',
  params: z.object({ region: regionWithChildrenParam }).strict(),
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => {
    childColumn(region) // a village has no children: the same error as before the summary
    const byCode = new Map<string, number>()
    for (const row of await flagSummary(db, region)) if (row.open) byCode.set(row.child, (byCode.get(row.child) ?? 0) + row.n)
    const rows = childRegions(region).map((child) => ({ ...child, value: byCode.get(child.code) ?? 0 }))
    // Flags of the region itself, with no child (R16 and R19 per county, R20 per voucher): listed as
    // 区县本级 / 乡镇本级 under the region's own code, so the map adds up to 未处置. Every flag has a
    // county, so the city map's rows stay counties.
    const own = byCode.get('') ?? 0
    const level = levelOf(region)
    if (own > 0 && level !== 'city') rows.push({ code: region, name: level === 'county' ? '区县本级' : '乡镇本级', value: own })
    return { kind: 'regions', rows }
  },
})

export const flagsByRule = defineFlagMetric({
  name: 'flags.byRule',
  title: '预警规则排名',
  params: regionOnly,
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => {
    const counts = openAndAll(await flagSummary(db, region), 'rule')
    // Ranked by severity first (死亡后仍发放 must not sit under a pile of 一般 flags), then open
    // flags; rules with none are left out so the bars stay readable.
    const weight = { critical: 0, warn: 1, info: 2 } as const
    const ranked = rules
      .map((rule) => ({ rule, ...(counts.get(rule.id) ?? { total: 0, open: 0 }) }))
      .filter((entry) => entry.total > 0)
      .sort((a, b) => weight[a.rule.severity] - weight[b.rule.severity] || b.open - a.open || b.total - a.total)
    return {
      kind: 'series',
      categories: ranked.map((entry) => entry.rule.name),
      series: [
        { name: '未处置', values: ranked.map((entry) => entry.open) },
        { name: '累计', values: ranked.map((entry) => entry.total) },
      ],
    }
  },
})

export const flagsByClass = defineFlagMetric({
  name: 'flags.byClass',
  title: '问题数据分类',
  params: regionOnly,
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => {
    const counts = openAndAll(await flagSummary(db, region), 'class')
    return {
      kind: 'series',
      categories: [...PROBLEM_CLASSES],
      series: [
        { name: '累计', values: PROBLEM_CLASSES.map((name) => counts.get(name)?.total ?? 0) },
        { name: '未处置', values: PROBLEM_CLASSES.map((name) => counts.get(name)?.open ?? 0) },
      ],
    }
  },
})

export const flagsBySeverity = defineFlagMetric({
  name: 'flags.bySeverity',
  title: '预警等级',
  params: regionOnly,
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => {
    const counts = openAndAll(await flagSummary(db, region), 'severity')
    return {
      kind: 'series',
      categories: SEVERITIES.map(([, label]) => label),
      series: [
        { name: '未处置', values: SEVERITIES.map(([key]) => counts.get(key)?.open ?? 0) },
        { name: '累计', values: SEVERITIES.map(([key]) => counts.get(key)?.total ?? 0) },
      ],
    }
  },
})

export const flagsTicker = defineFlagMetric({
  name: 'flags.ticker',
  title: '实时预警',
  params: z.object({ region: regionParam, limit: z.coerce.number().int().min(1).max(100).default(20) }).strict(),
  reads: ['flags'],
  personColumns: ['subject'],
  run: async (db, { region, limit }) => {
    const rows = await latestFlags(db, region, limit)
    return {
      kind: 'table',
      columns: [
        { key: 'time', title: '时间' },
        { key: 'severity', title: '等级' },
        { key: 'rule', title: '规则' },
        { key: 'region', title: '地区' },
        { key: 'subject', title: '对象' },
        { key: 'amount', title: '金额' },
      ],
      rows: rows.map(toListItem).map((flag) => ({
        id: flag.flagId,
        time: flag.detectedAt,
        severity: SEVERITIES.find(([key]) => key === flag.severity)?.[1] ?? flag.severity,
        rule: flag.ruleName,
        region: flag.regionName,
        regionCode: flag.regionCode,
        subject: flag.subject,
        amount: flag.amount,
      })),
    }
  },
})

/**
 * Ids of the newest `limit` flags of each region, read from the flag table alone: the order does not
 * depend on the status, so the status join then runs for these few instead of every flag.
 */
const NEWEST_PER_REGION = `flag_id IN (
  SELECT flag_id FROM (SELECT flag_id, detected_at, arrayJoin(['511000', toString(county_code), toString(town_code)]) AS region FROM flag FINAL)
  WHERE region IN {regions:Array(String)}
  ORDER BY region, detected_at DESC, flag_id LIMIT {limit:UInt32} BY region)`

/** The region's newest flags; in a warm pass the newest `limit` of every region in one read (LIMIT … BY). */
function latestFlags(db: Db, region: string, limit: number): Promise<Array<FlagRow & { detail_ids: string[] }>> {
  return perRegion(db, `latestFlags|${limit}`, region, {
    all: async (regions) => {
      const rows = await select<FlagRow & { detail_ids: string[]; region: string }>(
        db,
        `SELECT * FROM (SELECT *, arrayJoin(['511000', toString(county_code), toString(town_code)]) AS region FROM (${flagsWithStatus(NEWEST_PER_REGION)}))
         WHERE region IN {regions:Array(String)}
         ORDER BY region, detected_at DESC, flag_id LIMIT {limit:UInt32} BY region`,
        { regions, limit },
      )
      // A county's ticker counts only the money paid in that county (a case can span two).
      return amountsWithinScopes(db, byRegion(rows))
    },
    one: async () =>
      amountsWithinScope(
        db,
        region,
        await select<FlagRow & { detail_ids: string[] }>(
          db,
          `SELECT * FROM (${flagsWithStatus(`flag_id IN (SELECT flag_id FROM flag FINAL WHERE ${regionCondition(region)} ORDER BY detected_at DESC, flag_id LIMIT {limit:UInt32})`)})
           ORDER BY detected_at DESC, flag_id LIMIT {limit:UInt32}`,
          { region, limit },
        ),
      ),
    empty: [],
  })
}
