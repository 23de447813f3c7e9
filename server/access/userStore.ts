import type { Db } from '../db/client'
import { isKnownRegion } from '../../geo/regions'
import type { Role } from './principal'
import { hashPassword } from './password'
import { nextVersion } from './secrets'
import { forgetCachedPrincipals } from './principalCache'

/** Users of the product. 'wall' is not a user role: screens sign in with display tokens. */
export type UserRole = Exclude<Role, 'wall'>
export const USER_ROLES: readonly UserRole[] = ['leader', 'staff', 'supervisor', 'admin']

export interface UserRecord {
  username: string
  role: UserRole
  scope: string
  passwordHash: string
  disabled: boolean
  createdAt: string
  /** Goes up whenever the grounds of the user's sessions change; sessions of older generations are void. */
  credentialGen: number
}

/** What may be shown about a user (never the hash, nor the session generation). */
export type PublicUser = Omit<UserRecord, 'passwordHash' | 'credentialGen'>

export class UserInputError extends Error {}

const USERNAME = /^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$/

export function checkNewUser(input: { username: string; role: string; scope: string }): void {
  if (!USERNAME.test(input.username)) throw new UserInputError('用户名须为 2–32 个字母、数字、汉字或 _ . -')
  if (!USER_ROLES.includes(input.role as UserRole)) throw new UserInputError(`角色须为 ${USER_ROLES.join(' / ')}`)
  if (!isKnownRegion(input.scope)) throw new UserInputError('范围须为内江市内已知的区划代码')
}

interface UserRow {
  username: string
  role: string
  scope: string
  password_hash: string
  disabled: number
  created_at: string
  credential_gen: number | string
}

function toRecord(row: UserRow): UserRecord {
  return {
    username: row.username,
    role: row.role as UserRole,
    scope: row.scope,
    passwordHash: row.password_hash,
    disabled: Number(row.disabled) === 1,
    createdAt: row.created_at,
    credentialGen: Number(row.credential_gen ?? 0),
  }
}

export async function findUser(db: Db, username: string): Promise<UserRecord | null> {
  const result = await db.client.query({
    query: `SELECT username, role, scope, password_hash, disabled, created_at, credential_gen
            FROM app_user FINAL WHERE username = {username:String} LIMIT 1`,
    query_params: { username },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<UserRow>()
  return row ? toRecord(row) : null
}

export async function listUsers(db: Db): Promise<PublicUser[]> {
  const result = await db.client.query({
    query: `SELECT username, role, scope, '' AS password_hash, disabled, created_at, 0 AS credential_gen FROM app_user FINAL ORDER BY username`,
    format: 'JSONEachRow',
  })
  return (await result.json<UserRow>()).map((row) => {
    const { passwordHash: _hidden, credentialGen: _gen, ...user } = toRecord(row)
    return user
  })
}

export async function countUsers(db: Db): Promise<number> {
  const result = await db.client.query({ query: 'SELECT count() AS n FROM app_user FINAL', format: 'JSONEachRow' })
  const [row] = await result.json<{ n: string | number }>()
  return Number(row.n)
}

/** Creates a user; refuses a name that already exists (disabled users keep their name). */
export async function createUser(db: Db, input: { username: string; role: UserRole; scope: string; password: string }): Promise<PublicUser> {
  checkNewUser(input)
  if (await findUser(db, input.username)) throw new UserInputError(`用户 ${input.username} 已存在`)
  await db.client.command({
    query: `INSERT INTO app_user (username, role, scope, password_hash, disabled, created_at, version)
            SELECT {username:String}, {role:String}, {scope:String}, {hash:String}, 0, now64(3), {version:UInt64}`,
    query_params: { ...input, hash: await hashPassword(input.password), version: nextVersion() },
  })
  const created = await findUser(db, input.username)
  const { passwordHash: _hidden, credentialGen: _gen, ...user } = created!
  return user
}

/**
 * Every change to a user writes a new row version with a higher credential generation, which ends
 * all sessions signed in before it (sessionStore.lookupSession): a disabled user re-enabled later,
 * or a password reset, never brings an old session back.
 */
async function rewriteUser(db: Db, username: string, changes: { role?: UserRole; scope?: string; passwordHash?: string; disabled?: boolean }): Promise<boolean> {
  if (!(await findUser(db, username))) return false
  await db.client.command({
    query: `INSERT INTO app_user (username, role, scope, password_hash, disabled, created_at, credential_gen, version)
            SELECT username,
                   if({setRole:UInt8}, {role:String}, role),
                   if({setScope:UInt8}, {scope:String}, scope),
                   if({setHash:UInt8}, {hash:String}, password_hash),
                   if({setDisabled:UInt8}, {disabled:UInt8}, disabled),
                   created_at, credential_gen + 1, {version:UInt64}
            FROM app_user FINAL WHERE username = {username:String}`,
    query_params: {
      username,
      setRole: changes.role === undefined ? 0 : 1,
      role: changes.role ?? '',
      setScope: changes.scope === undefined ? 0 : 1,
      scope: changes.scope ?? '',
      setHash: changes.passwordHash === undefined ? 0 : 1,
      hash: changes.passwordHash ?? '',
      setDisabled: changes.disabled === undefined ? 0 : 1,
      disabled: changes.disabled ? 1 : 0,
      version: nextVersion(),
    },
  })
  // Refused from this moment in this process, whoever called (admin route, CLI, tests).
  forgetCachedPrincipals(`user:${username}`)
  return true
}

/** Disables (or re-enables) a user; either way every session they had ends. */
export async function setUserDisabled(db: Db, username: string, disabled: boolean): Promise<boolean> {
  return rewriteUser(db, username, { disabled })
}

/** A new password (own change or an admin's reset) ends every session of the user. */
export async function setUserPassword(db: Db, username: string, password: string): Promise<boolean> {
  return rewriteUser(db, username, { passwordHash: await hashPassword(password) })
}

/** A new role or scope ends every session, so no page keeps acting on the old grant. */
export async function setUserGrant(db: Db, username: string, grant: { role: UserRole; scope: string }): Promise<boolean> {
  checkNewUser({ username, ...grant })
  return rewriteUser(db, username, grant)
}
