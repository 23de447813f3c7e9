import crypto from 'node:crypto'
import nodemailer from 'nodemailer'
import type { Channel, OutgoingMessage, SendOutcome } from './channel'
import { hostOf } from '../redact'

/**
 * Email over SMTP (nodemailer). `smtp` is a URL from configuration (smtp://user:pass@host:587 or
 * smtps://…:465). The Message-ID is derived from the idempotency key, so a retry after a crash is
 * the same message to mail systems that drop repeated Message-IDs.
 */
export function messageIdFor(key: string): string {
  return `<${crypto.createHash('sha256').update(key).digest('hex').slice(0, 32)}@ykt-notify>`
}

export interface EmailChannelOptions {
  id: string
  scope: string
  smtp: string
  from: string
  to: string[]
  timeoutMs: number
  rateLimitPauseMs: number
  /** Accept a self-signed certificate (an internal relay); off by default. */
  allowSelfSigned?: boolean
}

/** SMTP replies that mean "not now" (too many connections or messages), not "never". */
const TEMPORARY_CODES = [421, 450, 451, 452]

export function emailChannel(options: EmailChannelOptions): Channel {
  const url = new URL(options.smtp)
  const secure = url.protocol === 'smtps:'
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (secure ? 465 : 587),
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    tls: options.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    logger: false,
  })
  return {
    id: options.id,
    type: 'email',
    scope: options.scope,
    describe: `email ${hostOf(options.smtp)} → ${options.to.length} recipient(s)`,
    async send(message: OutgoingMessage): Promise<SendOutcome> {
      try {
        await transport.sendMail({
          from: options.from,
          to: options.to,
          subject: message.title,
          text: message.text,
          html: message.html,
          messageId: messageIdFor(message.key),
          headers: { 'X-Ykt-Idempotency-Key': message.key },
          attachments: message.attachments?.map((file) => ({ filename: file.filename, content: file.content, cid: file.cid })),
        })
        return { ok: true }
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode
        const reason = code ? `SMTP ${code}` : `smtp: ${(error as { code?: string }).code ?? 'error'}`
        if (code && TEMPORARY_CODES.includes(code)) return { ok: false, error: reason, rateLimitedMs: options.rateLimitPauseMs }
        return { ok: false, error: reason }
      }
    },
    close: () => transport.close(),
  }
}
