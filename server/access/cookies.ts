import type { IncomingMessage } from 'node:http'

export const SESSION_COOKIE = 'ykt_session'

/** Value of one cookie from a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() !== name) continue
    const value = part.slice(eq + 1).trim()
    try {
      return decodeURIComponent(value)
    } catch {
      return undefined
    }
  }
  return undefined
}

/** True when the browser reached us over https (directly, or through a proxy that says so). */
export function isHttps(req: IncomingMessage): boolean {
  const forwarded = req.headers['x-forwarded-proto']
  const proto = Array.isArray(forwarded) ? forwarded[0] : forwarded
  return Boolean((req.socket as { encrypted?: boolean }).encrypted) || proto?.split(',')[0].trim() === 'https'
}

/** Set-Cookie for a session: not readable by scripts, never sent cross-site. */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ')
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure)
}

/** The client address for rate limits and audit: the socket's, not a header anyone can forge. */
export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? ''
}
