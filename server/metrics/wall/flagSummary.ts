import { z } from 'zod'
import type { Db } from '../../db/client'
import { childColumn, levelOf, regionCondition } from '../sql/region'
import { byRegion, perRegion, selectRows } from '../sql/query'
import { FLAGS_WITH_STATUS, OPEN_FLAG_STATUSES } from '../../rules/queries/listFlags'

/** "Open" (未处置): no ledger item yet, or an item still 待核实 / 整改中 (finished leads excluded). */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(OPEN_FLAG_STATUSES)

const summaryRow = z.object({
  rule: z.string(),
  class: z.string(),
  severity: z.string(),
  status: z.string(),
  child: z.string(),
  n: z.coerce.number(),
})
const summaryRegionRow = summaryRow.extend({ region: z.string() })
export type FlagSummaryRow = z.infer<typeof summaryRow> & { open: boolean }

/**
 * Flag counts of a region by rule, class, severity, status and child region, in one query: every
 * count panel of the alerts wall (open, critical, by rule / class / severity / region) is derived
 * from these rows. Through the query cache (selectRows) the panels of one tick share the query.
 * A village has no children: `child` is ''.
 */
export async function flagSummary(db: Db, region: string): Promise<FlagSummaryRow[]> {
  const rows = await perRegion(db, 'flagSummary', region, {
    // A warm pass: each flag counts for (city, its county), (county, its town), (town, its village).
    all: async (regions) =>
      byRegion(
        await selectRows(
          db,
          `SELECT level.1 AS region, toString(rule_id) AS rule, toString(class) AS class, toString(severity) AS severity, status,
                  level.2 AS child, count() AS n
           FROM (${FLAGS_WITH_STATUS})
           ARRAY JOIN [('511000', toString(county_code)), (toString(county_code), toString(town_code)), (toString(town_code), toString(village_code))] AS level
           WHERE level.1 IN {regions:Array(String)}
           GROUP BY region, rule, class, severity, status, child`,
          { regions },
          summaryRegionRow,
        ),
      ),
    one: () => {
      const child = levelOf(region) === 'village' ? `''` : childColumn(region)
      return selectRows(
        db,
        `SELECT toString(rule_id) AS rule, toString(class) AS class, toString(severity) AS severity, status, toString(${child}) AS child, count() AS n
         FROM (${FLAGS_WITH_STATUS}) WHERE ${regionCondition(region)}
         GROUP BY rule, class, severity, status, child`,
        { region },
        summaryRow,
      )
    },
    empty: [],
  })
  return rows.map((row) => ({ ...row, open: OPEN_STATUSES.has(row.status) }))
}

export function countOpen(rows: FlagSummaryRow[], keep: (row: FlagSummaryRow) => boolean = () => true): number {
  return rows.reduce((sum, row) => (row.open && keep(row) ? sum + row.n : sum), 0)
}

/** All flags and the open ones by one key (rule, class or severity). */
export function openAndAll(rows: FlagSummaryRow[], key: 'rule' | 'class' | 'severity'): Map<string, { total: number; open: number }> {
  const counts = new Map<string, { total: number; open: number }>()
  for (const row of rows) {
    const entry = counts.get(row[key]) ?? { total: 0, open: 0 }
    entry.total += row.n
    if (row.open) entry.open += row.n
    counts.set(row[key], entry)
  }
  return counts
}
