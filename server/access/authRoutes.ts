import { z } from 'zod'
import type { Router } from '../http/router'
import { HttpError, sendJson } from '../http/router'
import { recordAudit } from './auditLog'
import { SESSION_COOKIE, clearedSessionCookie, clientIp, isHttps, readCookie, sessionCookie } from './cookies'
import { LoginRateLimit } from './loginRateLimit'
import { passwordProblem, spendPasswordCheckTime, verifyPassword } from './password'
import { SESSION_HOURS, createSession, lookupSession, revokeSession } from './sessionStore'
import { findUser, setUserPassword } from './userStore'
import { readJsonBody } from './requestJson'
import { checkCookieStateChange, originProblem } from './originCheck'

const passwordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().max(200),
})

const loginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
})

/** POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me, POST /api/auth/password. */
export function registerAuthRoutes(router: Router, limits = new LoginRateLimit()): void {
  router.on('POST', '/api/auth/login', async (req, res, ctx) => {
    // A page of another origin must not sign a browser into an account of its choosing either.
    if (req.headers.origin && originProblem(req.headers, ctx.config.PUBLIC_ORIGIN)) throw new HttpError(403, '请求来源不被允许')
    const { username, password } = await readJsonBody(req, loginBody)
    const ip = clientIp(req)
    // The name is logged only as typed by the person signing in (a user name, not beneficiary data).
    const audit = (outcome: 'ok' | 'failed' | 'limited', role = '', detail?: Record<string, unknown>) =>
      recordAudit(ctx.db, { actor: username.slice(0, 64), role, action: 'auth.login', outcome, ip, detail })

    const wait = limits.retryAfter(username, ip)
    if (wait > 0) {
      const audited = limits.auditRefusal(username, ip)
      if (audited.write) await audit('limited', '', audited.alsoRefused > 0 ? { alsoRefusedInPreviousMinute: audited.alsoRefused } : undefined)
      res.setHeader('retry-after', String(wait))
      throw new HttpError(429, `登录失败次数过多，请 ${waitText(wait)}后再试`)
    }
    const user = await findUser(ctx.db, username)
    const ok = user ? await verifyPassword(password, user.passwordHash) : (await spendPasswordCheckTime(password), false)
    if (!user || !ok || user.disabled) {
      limits.recordFailure(username, ip)
      await audit('failed', user?.role ?? '', { reason: !user ? 'unknown user' : !ok ? 'wrong password' : 'disabled' })
      // One message for every cause, so the answer does not tell which names exist.
      throw new HttpError(401, '用户名或密码错误')
    }
    limits.recordSuccess(username, ip)
    const session = await createSession(ctx.db, user)
    await audit('ok', user.role)
    res.setHeader('set-cookie', sessionCookie(session.token, SESSION_HOURS * 3600, isHttps(req)))
    sendJson(res, 200, { user: { id: `user:${user.username}`, name: user.username, role: user.role, scope: user.scope } })
  })

  router.on('POST', '/api/auth/logout', async (req, res, ctx) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE)
    if (token) {
      // Ending someone's session is a state change too: only our own pages may ask for it.
      checkCookieStateChange(req, ctx.config.PUBLIC_ORIGIN)
      const session = await lookupSession(ctx.db, token)
      await revokeSession(ctx.db, token)
      if (session) {
        await recordAudit(ctx.db, { actor: session.username, role: session.role, action: 'auth.logout', outcome: 'ok', ip: clientIp(req) })
      }
    }
    res.setHeader('set-cookie', clearedSessionCookie(isHttps(req)))
    sendJson(res, 200, { ok: true })
  })

  router.on('GET', '/api/auth/me', async (req, res, ctx) => {
    const principal = await ctx.auth.identify(req)
    if (!principal) throw new HttpError(401, '请先登录')
    sendJson(res, 200, { user: principal })
  })

  // A signed-in person changes their own password (the first-run admin's one-time password, say).
  // Every session of theirs ends, this one included; the answer carries a fresh session cookie.
  router.on('POST', '/api/auth/password', async (req, res, ctx) => {
    const who = await ctx.auth.require(req, ['leader', 'staff', 'supervisor', 'admin'])
    const body = await readJsonBody(req, passwordBody)
    const ip = clientIp(req)
    const wait = limits.retryAfter(who.name, ip)
    if (wait > 0) {
      res.setHeader('retry-after', String(wait))
      throw new HttpError(429, `失败次数过多，请 ${waitText(wait)}后再试`)
    }
    const user = await findUser(ctx.db, who.name)
    if (!user || !(await verifyPassword(body.currentPassword, user.passwordHash))) {
      limits.recordFailure(who.name, ip)
      await recordAudit(ctx.db, { actor: who.name, role: who.role, action: 'auth.password', outcome: 'failed', ip })
      throw new HttpError(400, '当前密码不正确')
    }
    const problem = passwordProblem(body.newPassword)
    if (problem) throw new HttpError(400, problem)
    limits.recordSuccess(who.name, ip)
    await setUserPassword(ctx.db, who.name, body.newPassword)
    const changed = await findUser(ctx.db, who.name)
    const session = await createSession(ctx.db, changed!)
    await recordAudit(ctx.db, { actor: who.name, role: who.role, action: 'auth.password', outcome: 'ok', ip })
    res.setHeader('set-cookie', sessionCookie(session.token, SESSION_HOURS * 3600, isHttps(req)))
    sendJson(res, 200, { ok: true })
  })
}

function waitText(seconds: number): string {
  return seconds < 60 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`
}
