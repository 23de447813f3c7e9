import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { HttpError } from '../http/router'

/**
 * Feeds are machine-to-machine: a shared bearer token guards them, not a user session. Both sides
 * are hashed first so the comparison takes the same time whatever the length of the guess.
 */
export function requireIngestToken(req: IncomingMessage, expected: string): void {
  const header = req.headers.authorization ?? ''
  const match = /^Bearer (.+)$/i.exec(header)
  if (!match || !sameSecret(match[1].trim(), expected)) {
    throw new HttpError(401, 'ingest requires Authorization: Bearer <INGEST_TOKEN>')
  }
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(expected))
}
