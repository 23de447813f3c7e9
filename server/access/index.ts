import type { AppContext } from '../context'
import type { Router } from '../http/router'
import { registerAdminRoutes } from './adminRoutes'
import { registerAuthRoutes } from './authRoutes'
import { ensureFirstAdmin } from './bootstrap'
import { LoginRateLimit, type RateLimitOptions } from './loginRateLimit'

export { createAuth } from './createAuth'
export { seedDemoUsers, ensureFirstAdmin } from './bootstrap'
export { maskName, maskIdNumber, maskPhone, maskCard, maskRecord, findUnmaskedPersonalData } from './mask'
export { recordAudit } from './auditLog'

/** Sign-in and administration routes; creates the first admin when there is no user yet. */
export async function registerAccessRoutes(router: Router, ctx: AppContext, options: { loginLimits?: Partial<RateLimitOptions> } = {}): Promise<void> {
  await ensureFirstAdmin(ctx)
  registerAuthRoutes(router, new LoginRateLimit(options.loginLimits))
  registerAdminRoutes(router)
}
