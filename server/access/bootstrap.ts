import type { AppContext } from '../context'
import { CITY_CODE, childrenOf } from '../../geo/regions'
import { recordAudit } from './auditLog'
import { issueDisplayToken, listDisplayTokens, revokeDisplayToken } from './displayTokenStore'
import { newPassword } from './secrets'
import { passwordProblem } from './password'
import { countUsers, createUser, findUser, type UserRole } from './userStore'

type Env = Record<string, string | undefined>

/**
 * First run: with no user at all, create `admin` with ADMIN_PASSWORD, or else a random password
 * printed once to the log. There is never a fixed default password.
 */
export async function ensureFirstAdmin(ctx: Pick<AppContext, 'db' | 'log'>, env: Env = process.env): Promise<void> {
  if ((await countUsers(ctx.db)) > 0) return
  const given = env.ADMIN_PASSWORD
  const problem = given ? passwordProblem(given) : null
  const password = given && !problem ? given : newPassword()
  if (given && problem) ctx.log.warn(`ADMIN_PASSWORD is refused (${problem}); a random password is used instead`)
  await createUser(ctx.db, { username: 'admin', role: 'admin', scope: CITY_CODE, password })
  await recordAudit(ctx.db, { actor: 'system', role: 'system', action: 'admin.user.create', target: 'admin', outcome: 'ok', detail: { firstRun: true } })
  if (given === password) ctx.log.info('first run: created user admin with the password from ADMIN_PASSWORD')
  else ctx.log.info(`first run: created user admin, one-time password: ${password}  (shown only now; keep it safe)`)
}

export const DEMO_COUNTY = '511025' // 资中县

/** Demo accounts, one per role, and a display token for the demo wall. */
export function demoUsers(): Array<{ username: string; role: UserRole; scope: string }> {
  const town = childrenOf(DEMO_COUNTY)[0]
  return [
    { username: 'leader', role: 'leader', scope: CITY_CODE },
    { username: 'staff-zizhong', role: 'staff', scope: DEMO_COUNTY },
    { username: 'staff-town', role: 'staff', scope: town.code },
    { username: 'supervisor', role: 'supervisor', scope: CITY_CODE },
  ]
}

export const DEMO_WALL_LABEL = 'demo-wall'

/**
 * Creates the demo users that do not exist yet (passwords from DEMO_PASSWORD, or random, printed
 * to the log) and, unless one is live, a display token for the demo wall printed as a ready URL.
 */
export async function seedDemoUsers(ctx: Pick<AppContext, 'db' | 'log' | 'config'>, env: Env = process.env): Promise<void> {
  // The administrator comes first: once demo users exist, the first-run check would see users and
  // never create one (a demo start then had no admin at all).
  await ensureFirstAdmin(ctx, env)
  const shared = env.DEMO_PASSWORD && !passwordProblem(env.DEMO_PASSWORD) ? env.DEMO_PASSWORD : undefined
  for (const user of demoUsers()) {
    if (await findUser(ctx.db, user.username)) continue
    const password = shared ?? newPassword()
    await createUser(ctx.db, { ...user, password })
    await recordAudit(ctx.db, { actor: 'system', role: 'system', action: 'admin.user.create', target: user.username, outcome: 'ok', detail: { demo: true, role: user.role, scope: user.scope } })
    ctx.log.info(`demo user ${user.username} (${user.role}, scope ${user.scope}) password: ${shared ? '(DEMO_PASSWORD)' : password}`)
  }
  // Tokens are stored hashed, so an old demo token cannot be shown again: each demo start retires
  // it and prints a fresh ready-to-open wall address.
  for (const old of (await listDisplayTokens(ctx.db)).filter((token) => token.label === DEMO_WALL_LABEL && !token.revoked)) {
    await revokeDisplayToken(ctx.db, old.id)
    await recordAudit(ctx.db, { actor: 'system', role: 'system', action: 'admin.token.revoke', target: old.id, outcome: 'ok', detail: { label: DEMO_WALL_LABEL, demo: true } })
  }
  const issued = await issueDisplayToken(ctx.db, { label: DEMO_WALL_LABEL, scope: CITY_CODE, createdBy: 'system' })
  await recordAudit(ctx.db, { actor: 'system', role: 'system', action: 'admin.token.issue', target: issued.id, outcome: 'ok', detail: { label: DEMO_WALL_LABEL, demo: true } })
  ctx.log.info(`demo wall: http://localhost:${ctx.config.PORT}/wall?token=${issued.token}`)
}
