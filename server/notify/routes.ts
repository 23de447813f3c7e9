import { z } from 'zod'
import type { Router } from '../http/router'
import { HttpError, sendJson } from '../http/router'
import { recordAudit } from '../access/auditLog'
import { clientIp } from '../access/cookies'
import { readJsonBody } from '../access/requestJson'
import type { NotifyPart } from './index'
import { countByStatus, listDeliveries, type OutboxStatus } from './outbox'
import { addSubscription, listSubscriptions, newSubscriptionSchema, removeSubscription, SubscriptionError } from './subscriptions'

const ADMIN = ['admin'] as const
const STATUSES: OutboxStatus[] = ['pending', 'sending', 'delivered', 'failed']
const briefingBody = z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).strict()

/**
 * /api/admin/notify/*: channels (ids, types, scopes: never a URL or secret), subscriptions,
 * delivery state per message, the demo sink. Admin only; every change audited.
 */
export function registerNotifyRoutes(router: Router, notify: NotifyPart): void {
  router.on('GET', '/api/admin/notify/channels', async (req, res, ctx) => {
    await ctx.auth.require(req, ADMIN)
    sendJson(res, 200, { channels: [...notify.channels.values()].map(({ id, type, scope, describe }) => ({ id, type, scope, describe })) })
  })

  router.on('GET', '/api/admin/notify/subscriptions', async (req, res, ctx) => {
    await ctx.auth.require(req, ADMIN)
    sendJson(res, 200, { subscriptions: await listSubscriptions(ctx.db) })
  })

  router.on('POST', '/api/admin/notify/subscriptions', async (req, res, ctx) => {
    const who = await ctx.auth.require(req, ADMIN)
    const body = await readJsonBody(req, newSubscriptionSchema)
    try {
      const subscription = await addSubscription(ctx.db, notify.channels, body, who.name)
      await recordAudit(ctx.db, { actor: who.name, role: who.role, action: 'admin.notify.subscribe', target: subscription.subscriptionId, outcome: 'ok', ip: clientIp(req), detail: { channel: body.channel, scope: body.scope } })
      sendJson(res, 201, { subscription })
    } catch (error) {
      if (error instanceof SubscriptionError) throw new HttpError(400, error.message)
      throw error
    }
  })

  router.on('POST', '/api/admin/notify/subscriptions/:id/remove', async (req, res, ctx, params) => {
    const who = await ctx.auth.require(req, ADMIN)
    const found = await removeSubscription(ctx.db, params.id)
    await recordAudit(ctx.db, { actor: who.name, role: who.role, action: 'admin.notify.unsubscribe', target: params.id, outcome: found ? 'ok' : 'failed', ip: clientIp(req) })
    if (!found) throw new HttpError(404, '没有这个订阅')
    sendJson(res, 200, { ok: true })
  })

  router.on('GET', '/api/admin/notify/deliveries', async (req, res, ctx, _params, url) => {
    await ctx.auth.require(req, ADMIN)
    const status = url.searchParams.get('status') ?? undefined
    if (status && !STATUSES.includes(status as OutboxStatus)) throw new HttpError(400, `status 须为 ${STATUSES.join('/')}`)
    const limit = Number(url.searchParams.get('limit') ?? 100)
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpError(400, 'limit 须为 1–1000 的整数')
    const rows = await listDeliveries(ctx.db, { status: status as OutboxStatus | undefined, channel: url.searchParams.get('channel') ?? undefined, limit })
    sendJson(res, 200, { counts: await countByStatus(ctx.db), worker: notify.worker.stats, rows })
  })

  router.on('GET', '/api/admin/notify/sink', async (req, res, ctx) => {
    await ctx.auth.require(req, ADMIN)
    sendJson(res, 200, { messages: notify.sink() })
  })

  router.on('POST', '/api/admin/notify/briefing', async (req, res, ctx) => {
    const who = await ctx.auth.require(req, ADMIN)
    const body = await readJsonBody(req, briefingBody)
    const queued = await notify.sendBriefings(body.day)
    await recordAudit(ctx.db, { actor: who.name, role: who.role, action: 'admin.notify.briefing', target: body.day ?? 'today', outcome: 'ok', ip: clientIp(req), detail: { queued } })
    sendJson(res, 200, { queued })
  })
}
