import crypto from 'node:crypto'
import { promisify } from 'node:util'
import { hasInvisible, visibleCount } from './visibleText'

/**
 * Password hashing with Node's scrypt and a per-user random salt. The parameters are stored with
 * the hash so they can be raised later without invalidating existing passwords.
 */
const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>

const N = 16384
const R = 8
const P = 1
const KEY_LENGTH = 32

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16)
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P })
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) })
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected)
}

// Checked against when the user name is unknown, so that a wrong name takes as long as a wrong
// password and response times do not reveal which names exist.
let dummyHash: Promise<string> | undefined
export async function spendPasswordCheckTime(password: string): Promise<void> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'))
  await verifyPassword(password, await dummyHash)
}

/**
 * Minimum a person-chosen password must meet, counted in characters one can see: ten spaces or
 * zero-width characters are not a password (server/access/visibleText.ts). Spaces inside a
 * passphrase are fine; leading or trailing ones are refused, as they are lost on typing.
 */
export function passwordProblem(password: string): string | null {
  if (password.length > 200) return '密码过长'
  if (hasInvisible(password)) return '密码不能含有不可见字符'
  if (password !== password.trim()) return '密码首尾不能是空格'
  if (visibleCount(password) < 10) return '密码至少 10 个可见字符'
  if (new Set(password).size < 4) return '密码至少含 4 个不同的字符'
  return null
}
