import { z } from 'zod'
import type { Router } from '../http/router'
import { HttpError, sendJson } from '../http/router'
import { isKnownRegion } from '../../geo/regions'
import { listAudit, recordAudit } from './auditLog'
import { clientIp } from './cookies'
import { issueDisplayToken, listDisplayTokens, revokeDisplayToken } from './displayTokenStore'
import { passwordProblem } from './password'
import { readJsonBody } from './requestJson'
import { newPassword } from './secrets'
import { USER_ROLES, UserInputError, createUser, listUsers, setUserDisabled, setUserGrant, setUserPassword, type UserRole } from './userStore'

const ADMIN = ['admin'] as const

const newUserBody = z.object({
  username: z.string(),
  role: z.enum(USER_ROLES as [UserRole, ...UserRole[]]),
  scope: z.string(),
  password: z.string().optional(),
})

const resetPasswordBody = z.object({ password: z.string().optional() })
const grantBody = z.object({ role: z.enum(USER_ROLES as [UserRole, ...UserRole[]]), scope: z.string() })

const newTokenBody = z.object({
  label: z.string().min(1).max(64),
  scope: z.string().default('511000'),
})

/** User, display-token and audit administration; admin only, every change audited. */
export function registerAdminRoutes(router: Router): void {
  router.on('GET', '/api/admin/users', async (req, res, ctx) => {
    await ctx.auth.require(req, ADMIN)
    sendJson(res, 200, { users: await listUsers(ctx.db) })
  })

  router.on('POST', '/api/admin/users', async (req, res, ctx) => {
    const who = await ctx.auth.require(req, ADMIN)
    const body = await readJsonBody(req, newUserBody)
    const problem = body.password !== undefined ? passwordProblem(body.password) : null
    if (problem) throw new HttpError(400, problem)
    // Without a chosen password the server makes one and shows it this once, for the admin to hand over.
    const password = body.password ?? newPassword()
    try {
      const user = await createUser(ctx.db, { username: body.username, role: body.role, scope: body.scope, password })
      await recordAudit(ctx.db, { actor: who.name, role: who.role, action: 'admin.user.create', target: user.username, outcome: 'ok', ip: clientIp(req), detail: { role: user.role, scope: user.scope } })
      sendJson(res, 201, { user, ...(body.password === undefined ? { password } : {}) })
    } catch (error) {
      if (error instanceof UserInputError) throw new HttpError(400, error.message)
      throw error
    }
  })

  // Disabling, enabling, a password reset and a new grant each end every session of the user for
  // good (their credential generation goes up): re-enabling never revives an old session.
  for (const [verb, action] of [['disable', 'admin.user.disable'], ['enable', 'admin.user.enable']] as const) {
    router.on('POST', `/api/admin/users/:name/${verb}`, async (req, res, ctx, params) => {
      const who = await ctx.auth.require(req, ADMIN)
      if (params.name === who.name) throw new HttpError(400, verb === 'disable' ? '不能停用自己的账号' : '不能启用自己的账号')
      const found = await setUserDisabled(ctx.db, params.name, verb === 'disable')
      await recordAudit(ctx.db, { actor: who.name, role: who.role, action, target: params.name, outcome: found ? 'ok' : 'failed', ip: clientIp(req) })
      if (!found) throw new HttpError(404, '没有这个用户')
      sendJson(res, 200, { ok: true })
    })
  }

  router.on('POST', '/api/admin/users/:name/password', async (req, res, ctx, params) => {
    const who = await ctx.auth.require(req, ADMIN)
    const body = await readJsonBody(req, resetPasswordBody)
    const problem = body.password !== undefined ? passwordProblem(body.password) : null
    if (problem) throw new HttpError(400, problem)
    const password = body.password ?? newPassword()
    const found = await setUserPassword(ctx.db, params.name, password)
    await recordAudit(ctx.db, { actor: who.name, role: who.role, action: 'admin.user.password', target: params.name, outcome: found ? 'ok' : 'failed', ip: clientIp(req) })
    if (!found) throw new HttpError(404, '没有这个用户')
    sendJson(res, 200, { ok: true, ...(body.password === undefined ? { password } : {}) })
  })

  router.on('POST', '/api/admin/users/:name/grant', async (req, res, ctx, params) => {
    const who = await ctx.auth.require(req, ADMIN)
    const body = await readJsonBody(req, grantBody)
    if (params.name === who.name) throw new HttpError(400, '不能更改自己的角色或范围')
    let found: boolean
    try {
      found = await setUserGrant(ctx.db, params.name, body)
    } catch (error) {
      if (error instanceof UserInputError) throw new HttpError(400, error.message)
      throw error
    }
    await recordAudit(ctx.db, { actor: who.name, role: who.role, action: 'admin.user.grant', target: params.name, outcome: found ? 'ok' : 'failed', ip: clientIp(req), detail: body })
    if (!found) throw new HttpError(404, '没有这个用户')
    sendJson(res, 200, { ok: true })
  })

  router.on('GET', '/api/admin/tokens', async (req, res, ctx) => {
    await ctx.auth.require(req, ADMIN)
    sendJson(res, 200, { tokens: await listDisplayTokens(ctx.db) })
  })

  router.on('POST', '/api/admin/tokens', async (req, res, ctx) => {
    const who = await ctx.auth.require(req, ADMIN)
    const body = await readJsonBody(req, newTokenBody)
    if (!isKnownRegion(body.scope)) throw new HttpError(400, '范围须为内江市内已知的区划代码')
    const issued = await issueDisplayToken(ctx.db, { label: body.label, scope: body.scope, createdBy: who.name })
    await recordAudit(ctx.db, { actor: who.name, role: who.role, action: 'admin.token.issue', target: issued.id, outcome: 'ok', ip: clientIp(req), detail: { label: body.label, scope: body.scope } })
    // The token is shown this once; only its hash is kept.
    sendJson(res, 201, { id: issued.id, token: issued.token, url: `/wall?token=${issued.token}` })
  })

  router.on('POST', '/api/admin/tokens/:id/revoke', async (req, res, ctx, params) => {
    const who = await ctx.auth.require(req, ADMIN)
    const found = await revokeDisplayToken(ctx.db, params.id)
    await recordAudit(ctx.db, { actor: who.name, role: who.role, action: 'admin.token.revoke', target: params.id, outcome: found ? 'ok' : 'failed', ip: clientIp(req) })
    if (!found) throw new HttpError(404, '没有这个令牌')
    sendJson(res, 200, { ok: true })
  })

  router.on('GET', '/api/admin/audit', async (req, res, ctx, _params, url) => {
    await ctx.auth.require(req, ADMIN)
    const limit = Number(url.searchParams.get('limit') ?? 100)
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpError(400, 'limit 须为 1–1000 的整数')
    const rows = await listAudit(ctx.db, {
      limit,
      action: url.searchParams.get('action') ?? undefined,
      actor: url.searchParams.get('actor') ?? undefined,
    })
    sendJson(res, 200, { rows })
  })
}
