import { z } from 'zod'
import { defineMetric } from '../define'
import { regionCondition, regionUpToTownParam } from '../sql/region'
import { selectOne } from '../sql/query'

/**
 * 拦截问题数据: payment records one of the 124 pre-review checks (前置审查) stopped before payment,
 * then corrected and paid (the article: 28 万+ in 3985 万). A record counts once however many
 * checks it failed. Read from payment_detail: only the array's size subcolumn is scanned.
 */
export const paymentsPrereviewHits = defineMetric({
  name: 'payments.prereviewHits',
  title: '拦截问题数据',
  params: z.object({ region: regionUpToTownParam }).strict(),
  reads: ['payments'],
  run: async (db, params) => {
    const row = await selectOne(
      db,
      `SELECT count() AS hits FROM payment_detail WHERE notEmpty(prereview_hits) AND ${regionCondition(params.region)}`,
      { region: params.region },
      z.object({ hits: z.coerce.number() }),
    )
    return { kind: 'value', value: row.hits }
  },
})
