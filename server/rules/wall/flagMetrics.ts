import { z } from 'zod'
import { defineMetric } from '../../metrics/define'
import { childColumn, childRegions, regionCondition, regionParam } from '../../metrics/sql/region'
import { rules } from '../catalog/index'
import { FLAGS_WITH_STATUS, toListItem, type FlagRow } from '../queries/listFlags'
import { select } from '../sql'
import { PROBLEM_CLASSES } from '../types'

/**
 * Wall metrics over flags. "Open" (未处置) = no ledger item yet, or an item still 待核实 / 整改中.
 * childColumn/regionCondition are whitelisted fragments chosen by the region's level.
 */
const regionOnly = z.object({ region: regionParam }).strict()
const OPEN = `status IN ('未建账', '待核实', '整改中')`
const SEVERITIES = [
  ['critical', '重大'],
  ['warn', '较大'],
  ['info', '一般'],
] as const

async function countOpen(region: string, extra: string, db: Parameters<typeof select>[0]): Promise<number> {
  const [row] = await select<{ n: string }>(
    db,
    `SELECT count() AS n FROM (${FLAGS_WITH_STATUS}) WHERE ${OPEN} AND ${extra} AND ${regionCondition(region)}`,
    { region },
  )
  return Number(row.n)
}

export const flagsOpen = defineMetric({
  name: 'flags.open',
  title: '未处置预警',
  params: regionOnly,
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => ({ kind: 'value', value: await countOpen(region, '1', db) }),
})

export const flagsCritical = defineMetric({
  name: 'flags.critical',
  title: '重大风险预警',
  params: regionOnly,
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => ({ kind: 'value', value: await countOpen(region, `severity = 'critical'`, db) }),
})

export const flagsByRegion = defineMetric({
  name: 'flags.byRegion',
  title: '各地区未处置预警',
  params: regionOnly,
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => {
    const column = childColumn(region)
    const rows = await select<{ code: string; n: string }>(
      db,
      `SELECT ${column} AS code, count() AS n FROM (${FLAGS_WITH_STATUS})
       WHERE ${OPEN} AND ${regionCondition(region)} GROUP BY code`,
      { region },
    )
    const byCode = new Map(rows.map((row) => [row.code, Number(row.n)]))
    return { kind: 'regions', rows: childRegions(region).map((child) => ({ ...child, value: byCode.get(child.code) ?? 0 })) }
  },
})

/** Counts by one grouping column, all flags and the open ones, as two series. */
async function openAndAll(db: Parameters<typeof select>[0], region: string, column: 'rule_id' | 'class' | 'severity') {
  const rows = await select<{ key: string; total: string; open: string }>(
    db,
    `SELECT toString(${column}) AS key, count() AS total, countIf(${OPEN}) AS open
     FROM (${FLAGS_WITH_STATUS}) WHERE ${regionCondition(region)} GROUP BY key`,
    { region },
  )
  return new Map(rows.map((row) => [row.key, { total: Number(row.total), open: Number(row.open) }]))
}

export const flagsByRule = defineMetric({
  name: 'flags.byRule',
  title: '预警规则排名',
  params: regionOnly,
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => {
    const counts = await openAndAll(db, region, 'rule_id')
    // Ranked by open flags, the rules with none left out so the bars stay readable.
    const ranked = rules
      .map((rule) => ({ rule, ...(counts.get(rule.id) ?? { total: 0, open: 0 }) }))
      .filter((entry) => entry.total > 0)
      .sort((a, b) => b.open - a.open || b.total - a.total)
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

export const flagsByClass = defineMetric({
  name: 'flags.byClass',
  title: '问题数据分类',
  params: regionOnly,
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => {
    const counts = await openAndAll(db, region, 'class')
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

export const flagsBySeverity = defineMetric({
  name: 'flags.bySeverity',
  title: '预警等级',
  params: regionOnly,
  reads: ['flags', 'ledger'],
  run: async (db, { region }) => {
    const counts = await openAndAll(db, region, 'severity')
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

export const flagsTicker = defineMetric({
  name: 'flags.ticker',
  title: '实时预警',
  params: z.object({ region: regionParam, limit: z.coerce.number().int().min(1).max(100).default(20) }).strict(),
  reads: ['flags'],
  personColumns: ['subject'],
  run: async (db, { region, limit }) => {
    const rows = await select<FlagRow>(
      db,
      `SELECT * FROM (${FLAGS_WITH_STATUS}) WHERE ${regionCondition(region)}
       ORDER BY detected_at DESC, flag_id LIMIT {limit:UInt32}`,
      { region, limit },
    )
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
