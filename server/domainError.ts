/**
 * What went wrong, in the domain's words: a bad filter or query ('invalid'), a region outside the
 * caller's scope ('forbidden'), a flag or ledger item that does not exist for them ('notFound'),
 * a second ledger item for one flag ('conflict'). Domain modules throw it; the HTTP layer
 * (server/http/router.ts, httpErrorOf) maps each kind to its status, so the domain stays usable
 * from scripts, sockets and notify without speaking HTTP.
 */
export type DomainErrorKind = 'invalid' | 'forbidden' | 'notFound' | 'conflict'

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}
