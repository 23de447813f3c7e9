import fs from 'node:fs'
import { z } from 'zod'
import { ConfigError } from '../config'
import { isKnownRegion, CITY_CODE } from '../../geo/regions'
import type { Logger } from '../context'
import type { Channel } from './channels/channel'
import { dingtalkChannel } from './channels/dingtalk'
import { wecomChannel } from './channels/wecom'
import { webhookChannel } from './channels/webhook'
import { emailChannel } from './channels/email'
import { logChannel } from './channels/log'
import { redactor } from './redact'

/**
 * Channels come from configuration only: NOTIFY_CHANNELS_FILE (a JSON file) or NOTIFY_CHANNELS
 * (the same JSON inline). A value written `env:NAME` is read from the environment variable NAME,
 * so the file itself can be kept free of secrets. Nothing here is written to the database: the
 * outbox and subscriptions name a channel by its id only.
 *
 *   { "channels": [
 *     { "id": "zizhong-dingtalk", "type": "dingtalk", "scope": "511025",
 *       "url": "env:DINGTALK_ZIZHONG_URL", "secret": "env:DINGTALK_ZIZHONG_SECRET" },
 *     { "id": "city-wecom", "type": "wecom", "scope": "511000", "url": "env:WECOM_CITY_URL" },
 *     { "id": "audit-hook", "type": "webhook", "scope": "511000", "url": "https://…", "secret": "env:HOOK_SECRET" },
 *     { "id": "leaders-mail", "type": "email", "scope": "511000", "smtp": "env:SMTP_URL",
 *       "from": "监管平台 <noreply@example.gov.cn>", "to": ["leader@example.gov.cn"] } ] }
 */
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'lower-case letters, digits and -')
const scope = z.string().refine(isKnownRegion, 'a known region code of Neijiang')
const endpoint = z.string().refine((value) => {
  try {
    const url = new URL(value)
    // Plain http only to this machine (local receivers in tests and on an isolated network).
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
  } catch {
    return false
  }
}, 'an https:// URL (http:// only for localhost)')

const channelSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dingtalk'), id, scope, url: endpoint, secret: z.string().min(8).optional() }).strict(),
  z.object({ type: z.literal('wecom'), id, scope, url: endpoint }).strict(),
  z.object({ type: z.literal('webhook'), id, scope, url: endpoint, secret: z.string().min(16, 'at least 16 characters') }).strict(),
  z.object({
    type: z.literal('email'), id, scope,
    smtp: z.string().regex(/^smtps?:\/\//, 'smtp:// or smtps:// URL'),
    from: z.string().min(3), to: z.array(z.string().email()).min(1),
    allowSelfSigned: z.boolean().optional(),
  }).strict(),
  z.object({ type: z.literal('log'), id, scope }).strict(),
])
export type ChannelConfig = z.infer<typeof channelSchema>

const fileSchema = z.object({ channels: z.array(z.unknown()) }).strict()

const optionsSchema = z.object({
  NOTIFY_PUBLIC_URL: z.string().url().optional(),
  NOTIFY_DIGEST_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
  NOTIFY_MAX_SINGLES: z.coerce.number().int().min(0).max(10_000).default(5),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  NOTIFY_BACKOFF_SECONDS: z.coerce.number().min(0.01).max(3600).default(5),
  NOTIFY_RATE_PAUSE_SECONDS: z.coerce.number().min(0.01).max(3600).default(60),
  NOTIFY_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(1000),
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  NOTIFY_BRIEFING_AT: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (Asia/Shanghai)').default('08:30'),
  NOTIFY_FEED_SILENT_MINUTES: z.coerce.number().min(0.01).max(1440).default(15),
  NOTIFY_WATCH_SECONDS: z.coerce.number().min(0.05).max(3600).default(60),
  NOTIFY_BRIEFING_PNG: z.enum(['on', 'off']).default('off'),
  NOTIFY_CHROMIUM: z.string().default('/usr/bin/chromium'),
})

export interface NotifySettings {
  publicUrl: string
  digestIntervalMs: number
  maxSinglesPerInterval: number
  maxAttempts: number
  backoffBaseMs: number
  rateLimitPauseMs: number
  pollMs: number
  timeoutMs: number
  /** 'HH:MM' in Shanghai */
  briefingAt: string
  feedSilentMs: number
  /** How often ledger, R17 and feed silence are looked at. */
  watchEveryMs: number
  /** Briefing emails carry a PNG of the overview wall (headless Chromium at `chromium`, pages at publicUrl). */
  briefingPng: boolean
  chromium: string
}

export interface LoadedChannels {
  channels: Map<string, Channel>
  /** Removes every configured secret from a text before it is logged or stored. */
  redact: (text: string) => string
}

function fail(message: string): never {
  throw new ConfigError(`notify: ${message}`)
}

function resolveValue(value: unknown, where: string, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string' && value.startsWith('env:')) {
    const name = value.slice(4)
    const resolved = env[name]
    if (!resolved) fail(`${where} names environment variable ${name}, which is not set`)
    return resolved
  }
  if (Array.isArray(value)) return value.map((item, index) => resolveValue(item, `${where}[${index}]`, env))
  return value
}

export function readChannelConfigs(env: Record<string, string | undefined> = process.env): ChannelConfig[] {
  let text = env.NOTIFY_CHANNELS
  if (env.NOTIFY_CHANNELS_FILE) {
    try {
      text = fs.readFileSync(env.NOTIFY_CHANNELS_FILE, 'utf8')
    } catch {
      fail(`cannot read NOTIFY_CHANNELS_FILE ${env.NOTIFY_CHANNELS_FILE}`)
    }
  }
  if (!text) return []
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    fail('channel configuration is not valid JSON')
  }
  const file = fileSchema.safeParse(raw)
  if (!file.success) fail('channel configuration must be {"channels": [...]}')
  const seen = new Set<string>()
  return file.data.channels.map((entry, index) => {
    const label = typeof entry === 'object' && entry && 'id' in entry ? `channel ${String((entry as { id: unknown }).id)}` : `channel #${index + 1}`
    const resolved = typeof entry === 'object' && entry
      ? Object.fromEntries(Object.entries(entry).map(([key, value]) => [key, resolveValue(value, `${label} field ${key}`, env)]))
      : entry
    const parsed = channelSchema.safeParse(resolved)
    // The message names the field, never its value (it may be a secret).
    if (!parsed.success) fail(`${label} field ${parsed.error.issues[0].path.join('.') || 'type'}: ${parsed.error.issues[0].message}`)
    if (seen.has(parsed.data.id)) fail(`${label} is defined twice`)
    seen.add(parsed.data.id)
    return parsed.data
  })
}

export function readNotifySettings(env: Record<string, string | undefined>, port: number): NotifySettings {
  const parsed = optionsSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([key, value]) => key.startsWith('NOTIFY_') && value !== '')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    fail(`invalid environment variable ${issue.path.join('.')}: ${issue.message}`)
  }
  const o = parsed.data
  return {
    publicUrl: (o.NOTIFY_PUBLIC_URL ?? `http://localhost:${port || 3000}`).replace(/\/$/, ''),
    digestIntervalMs: o.NOTIFY_DIGEST_SECONDS * 1000,
    maxSinglesPerInterval: o.NOTIFY_MAX_SINGLES,
    maxAttempts: o.NOTIFY_MAX_ATTEMPTS,
    backoffBaseMs: o.NOTIFY_BACKOFF_SECONDS * 1000,
    rateLimitPauseMs: o.NOTIFY_RATE_PAUSE_SECONDS * 1000,
    pollMs: o.NOTIFY_POLL_MS,
    timeoutMs: o.NOTIFY_TIMEOUT_MS,
    briefingAt: o.NOTIFY_BRIEFING_AT,
    feedSilentMs: o.NOTIFY_FEED_SILENT_MINUTES * 60_000,
    watchEveryMs: o.NOTIFY_WATCH_SECONDS * 1000,
    briefingPng: o.NOTIFY_BRIEFING_PNG === 'on',
    chromium: o.NOTIFY_CHROMIUM,
  }
}

/** The demo sink when nothing is configured: every message goes to the server log. */
export const DEMO_SINK: ChannelConfig = { type: 'log', id: 'demo-log', scope: CITY_CODE }

export function createChannels(configs: ChannelConfig[], settings: NotifySettings, log: Logger): LoadedChannels {
  const redact = redactor(configs.flatMap((c) => c.type === 'log' ? [] : c.type === 'email' ? [c.smtp] : c.type === 'wecom' ? [c.url] : [c.url, c.secret]))
  const common = { timeoutMs: settings.timeoutMs, rateLimitPauseMs: settings.rateLimitPauseMs }
  const channels = new Map<string, Channel>()
  for (const c of configs) {
    const channel: Channel =
      c.type === 'dingtalk' ? dingtalkChannel({ ...common, id: c.id, scope: c.scope, url: c.url, secret: c.secret })
      : c.type === 'wecom' ? wecomChannel({ ...common, id: c.id, scope: c.scope, url: c.url })
      : c.type === 'webhook' ? webhookChannel({ ...common, id: c.id, scope: c.scope, url: c.url, secret: c.secret, publicUrl: settings.publicUrl })
      : c.type === 'email' ? emailChannel({ ...common, id: c.id, scope: c.scope, smtp: c.smtp, from: c.from, to: c.to, allowSelfSigned: c.allowSelfSigned })
      : logChannel({ id: c.id, scope: c.scope, log })
    channels.set(c.id, channel)
  }
  return { channels, redact }
}
