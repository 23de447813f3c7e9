/**
 * Secrets (robot URLs carry their access token, webhooks and SMTP a password) must never reach a
 * log line, the outbox's last_error or an API answer. Every error text from a channel passes here.
 */
export function redactor(secrets: Array<string | undefined>): (text: string) => string {
  const parts = new Set<string>()
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue
    parts.add(secret)
    parts.add(encodeURIComponent(secret))
    // A URL's query (access_token=…, key=…) and credentials are secret even when quoted alone.
    try {
      const url = new URL(secret)
      for (const value of url.searchParams.values()) if (value.length >= 4) parts.add(value)
      if (url.password) parts.add(decodeURIComponent(url.password))
    } catch {
      // not a URL: the whole text was added above
    }
  }
  const ordered = [...parts].sort((a, b) => b.length - a.length)
  return (text) => ordered.reduce((out, secret) => out.split(secret).join('***'), text)
}

/** Safe label of an endpoint: scheme and host only. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}`
  } catch {
    return '(invalid url)'
  }
}
