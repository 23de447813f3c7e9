import { z } from 'zod'
import type { Role } from '../../access/principal'
import { isWithin } from '../../../geo/regions'
import { HttpError, sendJson, type Router } from '../../http/router'
import { createLedgerItem, addLedgerEvidence, getLedgerItem, listLedgerItems, transitionLedgerItem } from '../ledger/ledgerItems'
import { listFollowups, transitionFollowup } from '../ledger/followups'
import { listWatched, recordWatch, watchTrail } from '../ledger/watchMarks'
import { getFlag } from '../queries/getFlag'
import { listFlags } from '../queries/listFlags'
import { asConflict, optional, paging, readJson } from './body'

/** Who may read flags and ledgers (never the wall's display tokens), and who may change them. */
const READERS: readonly Role[] = ['supervisor', 'leader', 'staff', 'admin']
const HANDLERS: readonly Role[] = ['supervisor', 'staff', 'admin']

const newItemBody = z.object({
  flagId: z.string().min(1).max(64),
  ownerDept: z.string().trim().min(1).max(50),
  ownerPerson: z.string().trim().min(1).max(50),
  deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD'),
  note: z.string().max(2000).optional(),
})
const transitionBody = z.object({ to: z.string().min(1).max(20), note: z.string().max(2000).default('') })
const evidenceBody = z.object({ note: z.string().min(1).max(2000) })
const watchBody = z.object({
  kind: z.enum(['record', 'flag', 'region']),
  id: z.string().min(1).max(64),
  action: z.enum(['mark', 'unmark', 'view']),
  note: z.string().max(500).optional(),
})

/** Flags, problem ledger, watch marks and 政策找人 follow-ups; every query is limited to who.scope. */
export function registerRuleRoutes(router: Router): void {
  router.on('GET', '/api/flags', async (req, res, ctx, _params, url) => {
    const who = await ctx.auth.require(req, READERS)
    const region = optional(url, 'region')
    if (region && !isWithin(region, who.scope)) throw new HttpError(403, `地区 ${region} 不在您的管辖范围内`)
    const result = await listFlags(ctx.db, who.scope, {
      rule: optional(url, 'rule'),
      severity: optional(url, 'severity'),
      status: optional(url, 'status'),
      region,
      ...paging(url),
    })
    sendJson(res, 200, result)
  })

  router.on('GET', '/api/flags/:id', async (req, res, ctx, params) => {
    const who = await ctx.auth.require(req, READERS)
    const flag = await getFlag(ctx.db, who.scope, params.id)
    // 留痕: every look at a flag and its records is recorded.
    await recordWatch(ctx.db, who, { kind: 'flag', id: params.id, action: 'view' })
    sendJson(res, 200, flag)
  })

  router.on('GET', '/api/ledger', async (req, res, ctx, _params, url) => {
    const who = await ctx.auth.require(req, READERS)
    const result = await listLedgerItems(ctx.db, who.scope, {
      status: optional(url, 'status'),
      rule: optional(url, 'rule'),
      escalated: url.searchParams.get('escalated') === 'true',
      ...paging(url),
    })
    sendJson(res, 200, result)
  })

  router.on('POST', '/api/ledger', async (req, res, ctx) => {
    const who = await ctx.auth.require(req, HANDLERS)
    const body = await readJson(req, newItemBody)
    const item = await createLedgerItem(ctx.db, who, body)
    ctx.dataChanged('ledger') // the wall's 问题整改 theme recomputes on its next tick
    sendJson(res, 201, item)
  })

  router.on('GET', '/api/ledger/:id', async (req, res, ctx, params) => {
    const who = await ctx.auth.require(req, READERS)
    sendJson(res, 200, await getLedgerItem(ctx.db, who, params.id))
  })

  router.on('POST', '/api/ledger/:id/transition', async (req, res, ctx, params) => {
    const who = await ctx.auth.require(req, HANDLERS)
    const body = await readJson(req, transitionBody)
    const item = await asConflict(() => transitionLedgerItem(ctx.db, who, params.id, body.to, body.note))
    ctx.dataChanged('ledger')
    sendJson(res, 200, item)
  })

  router.on('POST', '/api/ledger/:id/evidence', async (req, res, ctx, params) => {
    const who = await ctx.auth.require(req, HANDLERS)
    const body = await readJson(req, evidenceBody)
    await asConflict(() => addLedgerEvidence(ctx.db, who, params.id, body.note))
    ctx.dataChanged('ledger')
    sendJson(res, 201, { ok: true })
  })

  router.on('GET', '/api/watch', async (req, res, ctx) => {
    const who = await ctx.auth.require(req, READERS)
    sendJson(res, 200, { items: await listWatched(ctx.db, who) })
  })

  router.on('GET', '/api/watch/:kind/:id', async (req, res, ctx, params) => {
    const who = await ctx.auth.require(req, READERS)
    const kind = z.enum(['record', 'flag', 'region']).safeParse(params.kind)
    if (!kind.success) throw new HttpError(400, `未知的关注对象类型 ${params.kind}`)
    sendJson(res, 200, { items: await watchTrail(ctx.db, who, kind.data, params.id) })
  })

  router.on('POST', '/api/watch', async (req, res, ctx) => {
    const who = await ctx.auth.require(req, READERS)
    const body = await readJson(req, watchBody)
    sendJson(res, 201, await recordWatch(ctx.db, who, body))
  })

  router.on('GET', '/api/followups', async (req, res, ctx, _params, url) => {
    const who = await ctx.auth.require(req, READERS)
    sendJson(res, 200, await listFollowups(ctx.db, who.scope, { status: optional(url, 'status'), kind: optional(url, 'kind'), ...paging(url) }))
  })

  router.on('POST', '/api/followups/:id/transition', async (req, res, ctx, params) => {
    const who = await ctx.auth.require(req, HANDLERS)
    const body = await readJson(req, transitionBody)
    const followup = await asConflict(() => transitionFollowup(ctx.db, who, params.id, body.to, body.note))
    ctx.dataChanged('outreach') // the wall's 政策找人 theme recomputes on its next tick
    sendJson(res, 200, followup)
  })
}
