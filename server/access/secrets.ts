import crypto from 'node:crypto'

/**
 * Random bearer secrets (session cookies, display tokens) and their stored form. The secrets carry
 * 256 random bits, so a plain SHA-256 is enough to store them: unlike passwords they cannot be
 * guessed from a dictionary.
 */
export function newSecretToken(): string {
  return crypto.randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Short public id for a display token (shown in lists, used to revoke). */
export function newTokenId(): string {
  return crypto.randomBytes(6).toString('hex')
}

/** A password a person can type: 16 characters from an alphabet without look-alikes. */
export function newPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  return Array.from(crypto.randomBytes(16), (byte) => alphabet[byte % alphabet.length]).join('')
}

let lastVersion = 0

/** Row version for ReplacingMergeTree tables: microsecond clock, strictly increasing in-process. */
export function nextVersion(): number {
  lastVersion = Math.max(lastVersion + 1, Date.now() * 1000)
  return lastVersion
}
