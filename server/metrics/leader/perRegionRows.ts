import type { z } from 'zod'
import type { Db } from '../../db/client'
import { regionCondition } from '../sql/region'
import { byRegion, perRegion, selectRows, type QueryParams } from '../sql/query'

/**
 * One grouped query for one region, or, in a warm pass, for every region of the pass at once:
 * `query(source, region)` writes the SQL over `source` (rows already limited to the region(s)),
 * selecting `region` as the region column and grouping by it.
 */
export function rowsPerRegion<S extends z.ZodType<{ region: string }>>(
  db: Db,
  key: string,
  region: string,
  table: string,
  query: (source: string) => string,
  params: QueryParams,
  row: S,
): Promise<Array<z.infer<S>>> {
  return perRegion(db, key, region, {
    all: async (regions) =>
      byRegion(
        await selectRows(
          db,
          query(`(SELECT *, arrayJoin(['511000', toString(county_code), toString(town_code)]) AS region FROM ${table})
                 WHERE region IN {regions:Array(String)}`),
          { ...params, regions },
          row,
        ),
      ),
    one: () => selectRows(db, query(`(SELECT *, {region:String} AS region FROM ${table}) WHERE ${regionCondition(region)}`), { ...params, region }, row),
    empty: [],
  })
}
