import { z } from 'zod'
import { defineMetric } from '../define'
import { childColumn, childRegions, levelOf, regionCondition, regionParam, regionWithChildrenParam } from '../sql/region'
import type { Db } from '../../db/client'
import { byRegion, perRegion, selectRows } from '../sql/query'

/** 政策找人 counted live from the follow-up list (server/rules/ledger/followups.ts). */
const regionOnly = z.object({ region: regionParam }).strict()
const KINDS = ['教育资助', '高龄津贴', '护理补贴'] as const

const followupRow = z.object({ kind: z.string(), child: z.string(), status: z.string(), n: z.coerce.number() })
const followupRegionRow = followupRow.extend({ region: z.string() })
type FollowupRow = z.infer<typeof followupRow>

/**
 * Follow-ups of a region by kind, child region and status: every 政策找人 panel is a sum over these
 * rows. In a warm pass one read serves the city, every county and every town.
 */
function followupCounts(db: Db, region: string): Promise<FollowupRow[]> {
  return perRegion(db, 'followupCounts', region, {
    all: async (regions) =>
      byRegion(
        await selectRows(
          db,
          `SELECT level.1 AS region, toString(kind) AS kind, level.2 AS child, toString(status) AS status, count() AS n
           FROM followup FINAL
           ARRAY JOIN [('511000', toString(county_code)), (toString(county_code), toString(town_code)), (toString(town_code), toString(village_code))] AS level
           WHERE level.1 IN {regions:Array(String)}
           GROUP BY region, kind, child, status`,
          { regions },
          followupRegionRow,
        ),
      ),
    one: () => {
      const child = levelOf(region) === 'village' ? `''` : childColumn(region)
      return selectRows(
        db,
        `SELECT toString(kind) AS kind, toString(${child}) AS child, toString(status) AS status, count() AS n
         FROM followup FINAL WHERE ${regionCondition(region)} GROUP BY kind, child, status`,
        { region },
        followupRow,
      )
    },
    empty: [],
  })
}

interface FollowupTotals {
  suspects: number
  verified: number
  enrolled: number
}

/** Suspects (every lead), verified (已核实 or 已纳入) and enrolled (已纳入) per key. */
function totalsBy(rows: FollowupRow[], key: (row: FollowupRow) => string): Map<string, FollowupTotals> {
  const totals = new Map<string, FollowupTotals>()
  for (const row of rows) {
    const entry = totals.get(key(row)) ?? { suspects: 0, verified: 0, enrolled: 0 }
    entry.suspects += row.n
    if (row.status === '已核实' || row.status === '已纳入') entry.verified += row.n
    if (row.status === '已纳入') entry.enrolled += row.n
    totals.set(key(row), entry)
  }
  return totals
}

async function countsBy(db: Db, region: string, column: 'kind' | "'all'"): Promise<Map<string, FollowupTotals>> {
  return totalsBy(await followupCounts(db, region), (row) => (column === 'kind' ? row.kind : 'all'))
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
    const enrolled = (await followupCounts(db, region)).reduce((sum, row) => (row.status === '已纳入' ? sum + row.n : sum), 0)
    return { kind: 'value', value: enrolled }
  },
})

/** Leads per child region (suspects, with verified and enrolled as extras) for the 政策找人 map. */
export const outreachByRegion = defineMetric({
  name: 'outreach.byRegion',
  title: '各地区政策找人线索',
  params: z.object({ region: regionWithChildrenParam }).strict(),
  reads: ['outreach'],
  run: async (db, { region }) => {
    childColumn(region) // a village has no children: the same error as before the summary
    const byCode = totalsBy(await followupCounts(db, region), (row) => row.child)
    return {
      kind: 'regions',
      rows: childRegions(region).map((child) => {
        const row = byCode.get(child.code)
        return { ...child, value: row?.suspects ?? 0, extra: { verified: row?.verified ?? 0, enrolled: row?.enrolled ?? 0 } }
      }),
    }
  },
})
