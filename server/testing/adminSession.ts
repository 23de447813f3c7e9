import type { RunningApp } from '../app'
import { createUser } from '../access/userStore'

/**
 * A signed-in administrator's cookie for tests that read /api/health's details (the public answer
 * says only up/down and data freshness). Creates the user once per app.
 */
export async function adminCookie(app: RunningApp, username = 'test-health-admin'): Promise<string> {
  const password = `${username}-pw-1`
  await createUser(app.ctx.db, { username, role: 'admin', scope: '511000', password }).catch(() => undefined)
  const login = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (login.status !== 200) throw new Error(`admin sign-in answered ${login.status}`)
  return login.headers.get('set-cookie')!.split(';')[0]
}

/** /api/health as an administrator sees it. */
export async function healthDetails(app: RunningApp, cookie: string): Promise<any> {
  return (await fetch(`${app.url}/api/health`, { headers: { cookie } })).json()
}
