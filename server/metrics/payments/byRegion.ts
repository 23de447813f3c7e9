import { z } from 'zod'
import type { Db } from '../../db/client'
import { getRegion } from '../../../geo/regions'
import { allTimePersons } from './allTimePersons'
import { defineMetric, HISTORY_REFRESH_MS } from '../define'
import { childColumn, childRegions, levelOf, regionCondition, regionParam } from '../sql/region'
import { perRegion, roundMoney, selectRows } from '../sql/query'
import { monthRange, yearMonthParam } from '../sql/time'
import type { QueryParams } from '../sql/query'

/** Village-level rollup: the only one with all three region columns. */
const byRegionParams = z
  .object({
    region: regionParam.refine((code) => levelOf(code) !== 'village', { message: '村（社区）没有下级地区' }),
    from: yearMonthParam.optional(),
    to: yearMonthParam.optional(),
  })
  .strict()

function villageRollupWhere(params: { region: string; from?: number; to?: number }): { where: string; queryParams: QueryParams } {
  const months = monthRange(params)
  return { where: ["status = '成功'", regionCondition(params.region), ...months.conditions].join(' AND '), queryParams: { region: params.region, ...months.params } }
}

const regionRow = z.object({ code: z.string(), amount: z.coerce.number(), payments: z.coerce.number(), persons: z.coerce.number() })

/** Amounts and counts of the children (agg_region_month, keyed by region), persons beside them. */
export const paymentsByChildRegion = defineMetric({
  name: 'payments.byChildRegion',
  title: '各地区发放金额',
  params: byRegionParams,
  reads: ['payments'],
  run: async (db, params) => {
    const children = childRegions(params.region)
    const codes = children.map((child) => child.code)
    const { conditions: monthConditions, params: range } = monthRange(params)
    const [paid, people] =
      params.from === undefined && params.to === undefined
        ? await selectAllTimeChildren(db, params.region, codes)
        : await Promise.all([
            selectRows(
              db,
              `SELECT region_code AS code, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
               FROM agg_region_month WHERE region_code IN {children:Array(String)} AND ${["status = '成功'", ...monthConditions].join(' AND ')}
               GROUP BY code`,
              { children: codes, ...range },
              paidRow,
            ),
            selectChildPersons(db, params, codes),
          ])
    const paidByCode = new Map(paid.map((row) => [row.code, row]))
    const personsByCode = new Map(people.map((row) => [row.code, row.persons]))
    return {
      kind: 'regions',
      rows: children.map(({ code, name }) => {
        const row = paidByCode.get(code)
        return { code, name, value: roundMoney(row?.amount ?? 0), extra: { count: row?.payments ?? 0, persons: personsByCode.get(code) ?? 0 } }
      }),
    }
  },
})

const paidRow = z.object({ code: z.string(), amount: z.coerce.number(), payments: z.coerce.number() })
const personsRow = z.object({ code: z.string(), persons: z.coerce.number() })

type ChildFigures = [Array<z.infer<typeof paidRow>>, Array<z.infer<typeof personsRow>>]

/**
 * All-time paid amounts and persons of a region's children. In a warm pass the children of every
 * region of the pass (counties, towns, villages) are read in two queries and dealt out to their
 * parents.
 */
function selectAllTimeChildren(db: Db, region: string, codes: string[]): Promise<ChildFigures> {
  const read = (children: string[]) =>
    Promise.all([
      selectRows(
        db,
        `SELECT region_code AS code, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments
         FROM agg_region_month WHERE region_code IN {children:Array(String)} AND status = '成功'
         GROUP BY code`,
        { children },
        paidRow,
      ),
      selectChildPersons(db, { region }, children),
    ])
  return perRegion<ChildFigures>(db, 'childRegions', region, {
    all: async (regions) => {
      const childrenOf = new Map(regions.map((parent) => [parent, levelOf(parent) === 'village' ? [] : childRegions(parent).map((child) => child.code)]))
      const [paid, people] = await read([...new Set([...childrenOf.values()].flat())])
      return new Map(
        [...childrenOf].map(([parent, children]) => {
          const own = new Set(children)
          return [parent, [paid.filter((row) => own.has(row.code)), people.filter((row) => own.has(row.code))]]
        }),
      )
    },
    one: () => read(codes),
    empty: [[], []],
  })
}

/** All time: one state per child (allTimePersons); within months: the per-village monthly states. */
async function selectChildPersons(db: Db, params: { region: string; from?: number; to?: number }, codes: string[]): Promise<Array<z.infer<typeof personsRow>>> {
  if (params.from === undefined && params.to === undefined) {
    const persons = await allTimePersons(db, params.region, codes)
    return codes.flatMap((code) => (persons.has(code) ? [{ code, persons: persons.get(code)! }] : []))
  }
  const { where, queryParams } = villageRollupWhere(params)
  return selectRows(
    db,
    `SELECT ${childColumn(params.region)} AS code, uniqExactMerge(persons) AS persons FROM agg_village_month WHERE ${where} GROUP BY code`,
    queryParams,
    personsRow,
  )
}

export const paymentsTopVillages = defineMetric({
  name: 'payments.topVillages',
  title: '发放金额前列村（社区）',
  params: byRegionParams.extend({ limit: z.coerce.number().int().min(1).max(100).default(10) }).strict(),
  reads: ['payments'],
  minRefreshMs: HISTORY_REFRESH_MS,
  run: async (db, params) => {
    const { where, queryParams } = villageRollupWhere(params)
    const rows = await selectRows(
      db,
      `SELECT village_code AS code, toFloat64(sum(amount_paid)) AS amount, sum(payments) AS payments, uniqExactMerge(persons) AS persons
       FROM agg_village_month WHERE ${where}
       GROUP BY code ORDER BY amount DESC, code LIMIT {limit:UInt32}`,
      { ...queryParams, limit: params.limit },
      regionRow,
    )
    return {
      kind: 'table',
      columns: [
        { key: 'rank', title: '排名' },
        { key: 'village', title: '村（社区）' },
        { key: 'town', title: '乡镇（街道）' },
        { key: 'amount', title: '发放金额' },
        { key: 'count', title: '人次' },
        { key: 'persons', title: '人数' },
      ],
      rows: rows.map((row, index) => {
        const village = getRegion(row.code)
        return {
          rank: index + 1,
          village: village?.name ?? row.code,
          town: village?.parent ? (getRegion(village.parent)?.name ?? village.parent) : null,
          amount: roundMoney(row.amount),
          count: row.payments,
          persons: row.persons,
        }
      }),
    }
  },
})
