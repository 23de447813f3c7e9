import { z } from 'zod'
import type { Db } from '../../db/client'
import { childRegions, levelOf } from '../sql/region'
import { perRegion, selectRows } from '../sql/query'

const personsRow = z.object({ code: z.string(), persons: z.coerce.number() })

async function readPersons(db: Db, codes: string[]): Promise<Map<string, number>> {
  const rows = await selectRows(
    db,
    `SELECT region_code AS code, uniqExactMerge(persons) AS persons FROM agg_region_persons
     WHERE region_code IN {codes:Array(String)} GROUP BY code`,
    { codes },
    personsRow,
  )
  return new Map(rows.map((row) => [row.code, row.persons]))
}

/**
 * People paid (成功) all time, per region code, from agg_region_persons (one people set per region).
 * In a warm pass one read serves every region of the pass and every child of those regions: the
 * 受益人 figure of a room and the persons beside its children share it. Each set is merged once,
 * where two reads (regions, then children) merged the county and town sets twice: at 10M payments
 * these sets are the costliest reads of a pass. Elsewhere it reads the `codes` asked for.
 * A code with no paid person is absent (the caller counts it as 0).
 */
export function allTimePersons(db: Db, region: string, codes: string[]): Promise<ReadonlyMap<string, number>> {
  return perRegion<ReadonlyMap<string, number>>(db, 'allTimePersons', region, {
    all: async (regions) => {
      const wanted = new Set(regions)
      for (const parent of regions) if (levelOf(parent) !== 'village') for (const child of childRegions(parent)) wanted.add(child.code)
      const persons = await readPersons(db, [...wanted])
      return new Map(regions.map((parent) => [parent, persons]))
    },
    one: () => readPersons(db, codes),
    empty: new Map(),
  })
}
