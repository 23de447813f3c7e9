import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AppContext } from '../context'
import { sendJson } from '../http/router'

/**
 * /api/health is asked by load balancers, walls before a reload, and anyone on the network. Its
 * public answer says only whether the server is up and how fresh the data is; engine, version,
 * row counts and the live hub's rooms (which regions are being watched) are for administrators.
 */
export async function showsHealthDetails(req: IncomingMessage, ctx: Pick<AppContext, 'auth'>): Promise<boolean> {
  const who = await ctx.auth.identify(req).catch(() => null)
  return who?.role === 'admin'
}

export async function sendPublicHealth(res: ServerResponse, ctx: Pick<AppContext, 'db'>): Promise<void> {
  try {
    const result = await ctx.db.client.query({
      query: `SELECT count() > 0 AS has_data, max(newest_time) AS newest FROM agg_payment_month`,
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{ has_data: number | boolean; newest: string }>()
    sendJson(res, 200, { status: 'ok', newestDataTime: Number(row.has_data) ? row.newest : null })
  } catch {
    sendJson(res, 503, { status: 'down', newestDataTime: null })
  }
}
