import os from 'node:os'
import { loadConfig } from '../server/config'
import type { Db } from '../server/db/client'
import { exitWith, openToolDb, parseOrUsage, runOnDb, UsageError } from './cli'
import { recordAudit } from '../server/access/auditLog'
import { consoleLogger } from '../server/context'
import { createChannels, DEMO_SINK, readChannelConfigs, readNotifySettings } from '../server/notify/config'
import { countByStatus, listDeliveries, type OutboxStatus } from '../server/notify/outbox'
import { addSubscription, listSubscriptions, removeSubscription, SubscriptionError } from '../server/notify/subscriptions'
import { briefingEvent, briefingFigures, shanghaiClock } from '../server/notify/briefing'
import { EVENT_KINDS, type EventKind } from '../server/notify/types'

/**
 * Notification administration from a shell, on the database the server uses (like scripts/admin.ts;
 * changes are audited as `cli:<os user>`). Channels come from NOTIFY_CHANNELS(_FILE) only.
 *
 *   npm run notify -- channels
 *   npm run notify -- sub:add --channel zizhong-dingtalk --scope 511025 [--severity warn] [--kinds flag,ledger_overdue]
 *   npm run notify -- sub:list | sub:remove <id>
 *   npm run notify -- deliveries [--status failed] [--channel id] [--limit 50]
 *   npm run notify -- briefing:preview --scope 511025 [--day YYYY-MM-DD]
 */
const USAGE = `usage: npm run notify -- <command>
  channels
  sub:add --channel <id> --scope <region code> [--severity info|warn|critical] [--kinds ${EVENT_KINDS.join(',')}]
  sub:list
  sub:remove <id>
  deliveries [--status pending|sending|delivered|failed] [--channel <id>] [--limit n]
  briefing:preview --scope <region code> [--day YYYY-MM-DD]`

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

async function run(db: Db, command: string, positional: string[], flags: Record<string, string>, port: number): Promise<void> {
  const configs = readChannelConfigs()
  const { channels } = createChannels(configs.length ? configs : [DEMO_SINK], readNotifySettings(process.env, port), consoleLogger)
  switch (command) {
    case 'channels':
      for (const channel of channels.values()) console.log(`${channel.id.padEnd(24)} ${channel.type.padEnd(9)} scope ${channel.scope}  ${channel.describe}`)
      return
    case 'sub:add': {
      if (!flags.channel || !flags.scope) throw new UsageError('sub:add needs --channel and --scope')
      const kinds = flags.kinds ? flags.kinds.split(',').map((k) => k.trim()) : [...EVENT_KINDS]
      const subscription = await addSubscription(db, channels, { channel: flags.channel, scope: flags.scope, minSeverity: (flags.severity ?? 'warn') as 'warn', kinds: kinds as EventKind[] }, actor)
      await recordAudit(db, { actor, role: 'admin', action: 'admin.notify.subscribe', target: subscription.subscriptionId, outcome: 'ok', detail: { channel: flags.channel, scope: flags.scope } })
      console.log(`subscription ${subscription.subscriptionId}: ${subscription.channelId} ← ${subscription.scope}, ≥ ${subscription.minSeverity}, ${subscription.kinds.join(',')}`)
      return
    }
    case 'sub:list':
      for (const s of await listSubscriptions(db)) {
        console.log(`${s.subscriptionId}  ${s.channelId.padEnd(24)} ${s.scope.padEnd(13)} ≥${s.minSeverity.padEnd(9)} ${s.kinds.join(',')}  by ${s.createdBy} ${s.createdAt}`)
      }
      return
    case 'sub:remove': {
      const id = positional[0]
      if (!id) throw new UsageError('missing subscription id')
      if (!(await removeSubscription(db, id))) throw new UsageError(`no subscription ${id}`)
      await recordAudit(db, { actor, role: 'admin', action: 'admin.notify.unsubscribe', target: id, outcome: 'ok' })
      console.log(`subscription ${id} removed`)
      return
    }
    case 'deliveries': {
      const limit = Number(flags.limit ?? 50)
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be 1–1000')
      for (const c of await countByStatus(db)) console.log(`${c.channel_id.padEnd(24)} ${c.status.padEnd(10)} ${c.n}`)
      for (const row of await listDeliveries(db, { status: flags.status as OutboxStatus | undefined, channel: flags.channel, limit })) {
        console.log([row.updated_at, row.status, `attempts=${row.attempts}`, row.delivery_key, row.title, row.last_error].join('\t'))
      }
      return
    }
    case 'briefing:preview': {
      if (!flags.scope) throw new UsageError('briefing:preview needs --scope')
      const day = flags.day ?? shanghaiClock().day
      const event = briefingEvent(flags.scope, day, await briefingFigures(db, flags.scope, day))
      console.log(`${event.title}\n${event.text}`)
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
    console.error(`cannot open the database in ${config.dataDir}: the embedded engine lets one process use it at a time; stop the server first, or use CLICKHOUSE_URL.`)
    return 3
  }
  const db = opened.db
  return runOnDb(db, () => run(db, parsed.command, parsed.positional, parsed.flags, config.PORT), [SubscriptionError])
}

exitWith(main)
