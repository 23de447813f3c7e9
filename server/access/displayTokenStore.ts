import { forgetCachedPrincipals } from './principalCache'
import type { Db } from '../db/client'
import { hashToken, newSecretToken, newTokenId, nextVersion } from './secrets'

/** A wall screen's credential: role 'wall', limited to `scope`, revocable by id. */
export interface DisplayTokenInfo {
  id: string
  label: string
  scope: string
  createdAt: string
  createdBy: string
  revoked: boolean
}

interface TokenRow {
  id: string
  label: string
  scope: string
  created_at: string
  created_by: string
  revoked: number
}

const toInfo = (row: TokenRow): DisplayTokenInfo => ({
  id: row.id,
  label: row.label,
  scope: row.scope,
  createdAt: row.created_at,
  createdBy: row.created_by,
  revoked: Number(row.revoked) === 1,
})

/** Issues a token; the raw value is returned once and never stored. */
export async function issueDisplayToken(db: Db, input: { label: string; scope: string; createdBy: string }): Promise<{ id: string; token: string }> {
  const id = newTokenId()
  const token = newSecretToken()
  await db.client.command({
    query: `INSERT INTO display_token (id, label, token_hash, scope, created_at, created_by, revoked, version)
            SELECT {id:String}, {label:String}, {hash:String}, {scope:String}, now64(3), {createdBy:String}, 0, {version:UInt64}`,
    query_params: { id, label: input.label, hash: hashToken(token), scope: input.scope, createdBy: input.createdBy, version: nextVersion() },
  })
  return { id, token }
}

export async function lookupDisplayToken(db: Db, token: string): Promise<DisplayTokenInfo | null> {
  const result = await db.client.query({
    query: `SELECT id, label, scope, created_at, created_by, revoked
            FROM display_token FINAL WHERE token_hash = {hash:String} LIMIT 1`,
    query_params: { hash: hashToken(token) },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<TokenRow>()
  return row ? toInfo(row) : null
}

export async function listDisplayTokens(db: Db): Promise<DisplayTokenInfo[]> {
  const result = await db.client.query({
    query: 'SELECT id, label, scope, created_at, created_by, revoked FROM display_token FINAL ORDER BY created_at',
    format: 'JSONEachRow',
  })
  return (await result.json<TokenRow>()).map(toInfo)
}

/** Marks a token revoked; false when no token has that id. */
export async function revokeDisplayToken(db: Db, id: string): Promise<boolean> {
  const result = await db.client.query({
    query: 'SELECT count() AS n FROM display_token FINAL WHERE id = {id:String}',
    query_params: { id },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ n: string | number }>()
  if (Number(row.n) === 0) return false
  await db.client.command({
    query: `INSERT INTO display_token (id, label, token_hash, scope, created_at, created_by, revoked, version)
            SELECT id, label, token_hash, scope, created_at, created_by, 1, {version:UInt64}
            FROM display_token FINAL WHERE id = {id:String}`,
    query_params: { id, version: nextVersion() },
  })
  // Refused from this moment in this process, whoever called (admin route, demo start, tests).
  forgetCachedPrincipals(`display:${id}`)
  return true
}
