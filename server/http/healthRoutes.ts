import type { Router } from './router'
import { sendJson } from './router'
import { sendPublicHealth, showsHealthDetails } from '../access/healthView'

/** GET /api/health: up and data freshness for anyone; engine, version, row counts and live figures for admins. */
export function registerHealthRoutes(router: Router): void {
  router.on('GET', '/api/health', async (req, res, ctx) => {
    if (!(await showsHealthDetails(req, ctx))) return sendPublicHealth(res, ctx)
    const result = await ctx.db.client.query({
      query: `SELECT version() AS version,
                     (SELECT count() FROM payment_detail) AS payment_rows,
                     (SELECT count() FROM budget_indicator) AS indicator_rows,
                     (SELECT count() FROM spending_plan) AS plan_rows,
                     (SELECT count() FROM payment_voucher) AS voucher_rows,
                     (SELECT count() FROM beneficiary) AS beneficiary_rows,
                     (SELECT max(newest_time) FROM agg_payment_month) AS newest_payment_time`,
      format: 'JSONEachRow',
    })
    const [row] = await result.json<Record<string, string | number>>()
    const extras = Object.fromEntries(ctx.healthExtras.map((extra) => extra()))
    // 'warming' until the live hub has every room computed once after start.
    const warming = Object.values(extras).some((extra) => (extra as { warming?: unknown } | null)?.warming === true)
    sendJson(res, 200, {
      status: warming ? 'warming' : 'ok',
      engine: ctx.db.engine,
      version: row.version,
      database: ctx.db.database,
      rows: {
        payment_detail: Number(row.payment_rows),
        budget_indicator: Number(row.indicator_rows),
        spending_plan: Number(row.plan_rows),
        payment_voucher: Number(row.voucher_rows),
        beneficiary: Number(row.beneficiary_rows),
      },
      newestDataTime: Number(row.payment_rows) > 0 ? row.newest_payment_time : null,
      uptimeSeconds: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000),
      ...extras,
    })
  })
}
