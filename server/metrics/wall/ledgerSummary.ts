import { z } from 'zod'
import type { Db } from '../../db/client'
import { regionCondition } from '../sql/region'
import { byRegion, perRegion, selectRows } from '../sql/query'

const summaryRow = z.object({ status: z.string(), escalated: z.coerce.number().transform(Boolean), n: z.coerce.number() })
const summaryRegionRow = summaryRow.extend({ region: z.string() })
export type LedgerSummaryRow = z.infer<typeof summaryRow>

/**
 * Ledger items of a region by status, and whether each is escalated (督办: still 待核实 / 整改中
 * past its deadline on `day`), in one query shared through the query cache by ledger.closureRate
 * and ledger.byStatus.
 */
export function ledgerSummary(db: Db, region: string, day: string): Promise<LedgerSummaryRow[]> {
  return perRegion(db, `ledgerSummary|${day}`, region, {
    all: async (regions) =>
      byRegion(
        await selectRows(
          db,
          `SELECT arrayJoin(['511000', toString(county_code), toString(town_code)]) AS region, toString(status) AS status,
                  status IN ('待核实', '整改中') AND deadline < {day:Date} AS escalated, count() AS n
           FROM ledger_item FINAL GROUP BY region, status, escalated HAVING region IN {regions:Array(String)}`,
          { regions, day },
          summaryRegionRow,
        ),
      ),
    one: () =>
      selectRows(
        db,
        `SELECT toString(status) AS status, status IN ('待核实', '整改中') AND deadline < {day:Date} AS escalated, count() AS n
         FROM ledger_item FINAL WHERE ${regionCondition(region)} GROUP BY status, escalated`,
        { region, day },
        summaryRow,
      ),
    empty: [],
  })
}
