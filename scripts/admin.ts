import os from 'node:os'
import { loadConfig } from '../server/config'
import type { Db } from '../server/db/client'
import { exitWith, openToolDb, parseOrUsage, runOnDb, UsageError } from './cli'
import { isKnownRegion, CITY_CODE } from '../geo/regions'
import { listAudit, recordAudit } from '../server/access/auditLog'
import { issueDisplayToken, listDisplayTokens, revokeDisplayToken } from '../server/access/displayTokenStore'
import { passwordProblem } from '../server/access/password'
import { newPassword } from '../server/access/secrets'
import { USER_ROLES, UserInputError, createUser, listUsers, setUserDisabled, setUserPassword, type UserRole } from '../server/access/userStore'

/**
 * Administration from a shell, on the database the server uses (DATA_DIR, or CLICKHOUSE_URL).
 * Every change is written to the audit log as actor `cli:<os user>`.
 *
 *   npx tsx scripts/admin.ts user:add <name> --role staff --scope 511025 [--password …]
 *   npx tsx scripts/admin.ts user:list | user:disable <name> | user:enable <name> | user:password <name> [--password …]
 *   npx tsx scripts/admin.ts token:issue <label> [--scope 511000] | token:revoke <id> | token:list
 *   npx tsx scripts/admin.ts audit:tail [n]
 */
const USAGE = `usage: npx tsx scripts/admin.ts <command>
  user:add <name> --role ${USER_ROLES.join('|')} --scope <region code> [--password <pw>]
  user:list
  user:disable <name>
  user:enable <name>
  user:password <name> [--password <pw>]
  token:issue <label> [--scope 511000]
  token:revoke <id>
  token:list
  audit:tail [n]`

function parseArgs(argv: string[]): { command: string; positional: string[]; flags: Record<string, string> } {
  const [command = '', ...rest] = argv
  const positional: string[] = []
  const flags: Record<string, string> = {}
  for (let i = 0; i < rest.length; i++) {
    if (rest[i].startsWith('--')) {
      const value = rest[i + 1]
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${rest[i]} needs a value`)
      flags[rest[i].slice(2)] = value
      i++
    } else positional.push(rest[i])
  }
  return { command, positional, flags }
}

const actor = `cli:${os.userInfo().username}`
const audit = (db: Db, action: string, target: string, detail?: Record<string, unknown>) =>
  recordAudit(db, { actor, role: 'admin', action, target, outcome: 'ok', detail })

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`)
  return value
}

async function run(db: Db, command: string, positional: string[], flags: Record<string, string>, port: number): Promise<void> {
  switch (command) {
    case 'user:add': {
      const username = need(positional[0], 'user name')
      const role = need(flags.role, '--role') as UserRole
      const scope = need(flags.scope, '--scope')
      const password = flags.password ?? newPassword()
      const problem = passwordProblem(password)
      if (problem) throw new UsageError(problem)
      const user = await createUser(db, { username, role, scope, password })
      await audit(db, 'admin.user.create', user.username, { role: user.role, scope: user.scope })
      console.log(`created ${user.username} (${user.role}, scope ${user.scope})`)
      if (!flags.password) console.log(`password (shown once): ${password}`)
      return
    }
    case 'user:list':
      for (const user of await listUsers(db)) {
        console.log(`${user.username.padEnd(20)} ${user.role.padEnd(11)} ${user.scope.padEnd(13)} ${user.disabled ? 'disabled' : 'active  '} ${user.createdAt}`)
      }
      return
    case 'user:disable':
    case 'user:enable': {
      const username = need(positional[0], 'user name')
      const disabled = command === 'user:disable'
      if (!(await setUserDisabled(db, username, disabled))) throw new UsageError(`no user ${username}`)
      await audit(db, disabled ? 'admin.user.disable' : 'admin.user.enable', username)
      console.log(`${username} ${disabled ? 'disabled' : 'enabled'}`)
      return
    }
    case 'user:password': {
      const username = need(positional[0], 'user name')
      const password = flags.password ?? newPassword()
      const problem = passwordProblem(password)
      if (problem) throw new UsageError(problem)
      if (!(await setUserPassword(db, username, password))) throw new UsageError(`no user ${username}`)
      await audit(db, 'admin.user.password', username)
      console.log(`password of ${username} changed`)
      if (!flags.password) console.log(`new password (shown once): ${password}`)
      return
    }
    case 'token:issue': {
      const label = need(positional[0], 'label')
      const scope = flags.scope ?? CITY_CODE
      if (!isKnownRegion(scope)) throw new UsageError(`unknown region ${scope}`)
      const issued = await issueDisplayToken(db, { label, scope, createdBy: actor })
      await audit(db, 'admin.token.issue', issued.id, { label, scope })
      console.log(`token ${issued.id} (${label}, scope ${scope}), shown once:`)
      console.log(`  ${issued.token}`)
      console.log(`  wall URL: http://localhost:${port}/wall?token=${issued.token}`)
      return
    }
    case 'token:revoke': {
      const id = need(positional[0], 'token id')
      if (!(await revokeDisplayToken(db, id))) throw new UsageError(`no token ${id}`)
      await audit(db, 'admin.token.revoke', id)
      console.log(`token ${id} revoked`)
      return
    }
    case 'token:list':
      for (const token of await listDisplayTokens(db)) {
        console.log(`${token.id}  ${token.label.padEnd(20)} ${token.scope.padEnd(13)} ${token.revoked ? 'revoked' : 'active '} ${token.createdAt} by ${token.createdBy}`)
      }
      return
    case 'audit:tail': {
      const n = positional[0] === undefined ? 20 : Number(positional[0])
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError('n must be 1–1000')
      for (const row of (await listAudit(db, { limit: n })).reverse()) {
        console.log([row.at, row.actor, row.role, row.action, row.target, row.outcome, row.ip, row.detail].join('\t'))
      }
      return
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'no command')
  }
}

async function main(): Promise<number> {
  const parsed = parseOrUsage(() => {
    const args = parseArgs(process.argv.slice(2))
    if (!args.command || args.command === 'help' || args.command === '--help') throw new UsageError('')
    return args
  }, USAGE)
  if (parsed === 2) return 2
  const config = loadConfig()
  const opened = await openToolDb(config)
  if ('ownedElsewhere' in opened) {
    console.error(`cannot open the database in ${config.dataDir}.`)
    console.error('The embedded engine (chDB) lets one process use a data directory at a time: if the server is running on it, stop the server first,')
    console.error('or run the server and this tool against a ClickHouse server (CLICKHOUSE_URL), where they work side by side.')
    console.error(`(${opened.ownedElsewhere.message})`)
    return 3
  }
  const db = opened.db
  return runOnDb(db, () => run(db, parsed.command, parsed.positional, parsed.flags, config.PORT), [UserInputError])
}

exitWith(main)
