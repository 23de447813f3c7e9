import { z } from 'zod'
import { defineMetric } from '../../metrics/define'
import { childColumn, childRegions, regionCondition, regionParam } from '../../metrics/sql/region'
import { select } from '../sql'
import { regionWithChildrenParam } from '../../metrics/sql/region'

/** 政策找人 counted live from the follow-up list (server/rules/ledger/followups.ts). */
const regionOnly = z.object({ region: regionParam }).strict()
const KINDS = ['教育资助', '高龄津贴', '护理补贴'] as const

async function countsBy(db: Parameters<typeof select>[0], region: string, column: 'kind' | "'all'") {
  const rows = await select<{ key: string; suspects: string; verified: string; enrolled: string; rejected: string }>(
    db,
    `SELECT toString(${column}) AS key, count() AS suspects,
            countIf(status IN ('已核实', '已纳入')) AS verified, countIf(status = '已纳入') AS enrolled,
            countIf(status = '不符合') AS rejected
     FROM followup FINAL WHERE ${regionCondition(region)} GROUP BY key`,
    { region },
  )
  return new Map(rows.map((row) => [row.key, { suspects: Number(row.suspects), verified: Number(row.verified), enrolled: Number(row.enrolled) }]))
}

export const outreachFunnel = defineMetric({
  name: 'outreach.funnel',
  title: '疑似 → 核实 → 纳入',
  params: regionOnly,
  reads: ['outreach'],
  run: async (db, { region }) => {
    const all = (await countsBy(db, region, "'all'")).get('all') ?? { suspects: 0, verified: 0, enrolled: 0 }
    return {
      kind: 'funnel',
      stages: [
        { name: '疑似', value: all.suspects },
        { name: '核实', value: all.verified },
        { name: '纳入', value: all.enrolled },
      ],
    }
  },
})

export const outreachByKind = defineMetric({
  name: 'outreach.byKind',
  title: '线索类别',
  params: regionOnly,
  reads: ['outreach'],
  run: async (db, { region }) => {
    const byKind = await countsBy(db, region, 'kind')
    return {
      kind: 'series',
      categories: [...KINDS],
      series: [
        { name: '疑似', values: KINDS.map((kind) => byKind.get(kind)?.suspects ?? 0) },
        { name: '核实', values: KINDS.map((kind) => byKind.get(kind)?.verified ?? 0) },
        { name: '纳入', values: KINDS.map((kind) => byKind.get(kind)?.enrolled ?? 0) },
      ],
    }
  },
})

export const outreachEnrolled = defineMetric({
  name: 'outreach.enrolled',
  title: '已纳入保障',
  params: regionOnly,
  reads: ['outreach'],
  run: async (db, { region }) => {
    const [row] = await select<{ n: string }>(
      db,
      `SELECT count() AS n FROM followup FINAL WHERE status = '已纳入' AND ${regionCondition(region)}`,
      { region },
    )
    return { kind: 'value', value: Number(row.n) }
  },
})

/** Leads per child region (suspects, with verified and enrolled as extras) for the 政策找人 map. */
export const outreachByRegion = defineMetric({
  name: 'outreach.byRegion',
  title: '各地区政策找人线索',
  params: z.object({ region: regionWithChildrenParam }).strict(),
  reads: ['outreach'],
  run: async (db, { region }) => {
    const column = childColumn(region) // whitelisted column of the level below the region
    const rows = await select<{ child: string; suspects: string; verified: string; enrolled: string }>(
      db,
      `SELECT ${column} AS child, count() AS suspects,
              countIf(status IN ('已核实', '已纳入')) AS verified, countIf(status = '已纳入') AS enrolled
       FROM followup FINAL WHERE ${regionCondition(region)} GROUP BY child`,
      { region },
    )
    const byCode = new Map(rows.map((row) => [row.child, row]))
    return {
      kind: 'regions',
      rows: childRegions(region).map((child) => {
        const row = byCode.get(child.code)
        return { ...child, value: Number(row?.suspects ?? 0), extra: { verified: Number(row?.verified ?? 0), enrolled: Number(row?.enrolled ?? 0) } }
      }),
    }
  },
})
