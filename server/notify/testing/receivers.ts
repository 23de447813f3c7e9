import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/**
 * Real local receivers for the notify tests: a DingTalk-like robot that checks the signature the way
 * DingTalk documents it, a WeCom-like robot, a signed webhook receiver and an SMTP server. Each can
 * answer "too fast" (HTTP 429 / errcode) on a share of requests. Nothing here is a mock of our
 * code: they only see what goes over the wire.
 */
export interface Receipt {
  channel: string
  kind: 'dingtalk' | 'wecom' | 'webhook' | 'email'
  key: string
  digest: boolean
  text: string
  at: number
}

export interface ReceiverOptions {
  /** Every n-th request (per channel) is answered "too fast" instead of delivered; 0 = never. */
  rateLimitEvery?: number
  /** Answer after this many ms (lets a test kill the sender mid-request). */
  delayMs?: number
  /** HTTP 429 answers carry Retry-After with this many seconds. */
  retryAfterSeconds?: number
}

export const DINGTALK_SECRET = 'SECtest-dingtalk-secret-0123456789'
export const WEBHOOK_SECRET = 'webhook-shared-secret-0123456789'

const KEY_IN_TEXT = /编号[：:\s]+(\S+?)(?:<|\s|$)/

export interface HttpReceivers {
  url: string
  receipts: Receipt[]
  /** Requests refused for a bad signature or timestamp. */
  refused: Array<{ channel: string; reason: string }>
  rateLimited: number
  close(): Promise<void>
}

export async function startHttpReceivers(options: ReceiverOptions = {}): Promise<HttpReceivers> {
  const receipts: Receipt[] = []
  const refused: HttpReceivers['refused'] = []
  const seenPerChannel = new Map<string, number>()
  const state = { rateLimited: 0 }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const url = new URL(req.url ?? '/', 'http://x')
      const [, kind, channel] = url.pathname.split('/') as [string, Receipt['kind'], string]
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        const reply = () => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers })
          res.end(JSON.stringify(json))
        }
        if (options.delayMs) setTimeout(reply, options.delayMs)
        else reply()
      }
      const n = (seenPerChannel.get(channel) ?? 0) + 1
      seenPerChannel.set(channel, n)
      const tooFast = options.rateLimitEvery && n % options.rateLimitEvery === 0
      if (kind === 'dingtalk') {
        const timestamp = Number(url.searchParams.get('timestamp'))
        const sign = url.searchParams.get('sign') ?? ''
        // DingTalk: base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), url-encoded in the query.
        const expected = crypto.createHmac('sha256', DINGTALK_SECRET).update(`${timestamp}\n${DINGTALK_SECRET}`).digest('base64')
        if (sign !== expected || Math.abs(Date.now() - timestamp) > 3600_000) {
          refused.push({ channel, reason: 'sign not match' })
          return answer(200, { errcode: 310000, errmsg: 'sign not match' })
        }
        if (tooFast) {
          state.rateLimited++
          return answer(200, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' })
        }
        const text = (JSON.parse(body) as { markdown: { text: string } }).markdown.text
        receipts.push({ channel, kind, key: KEY_IN_TEXT.exec(text)?.[1] ?? '', digest: text.includes('【汇总】'), text, at: Date.now() })
        return answer(200, { errcode: 0, errmsg: 'ok' })
      }
      if (kind === 'wecom') {
        if (tooFast) {
          state.rateLimited++
          return answer(200, { errcode: 45009, errmsg: 'api freq out of limit' })
        }
        const text = (JSON.parse(body) as { markdown: { content: string } }).markdown.content
        receipts.push({ channel, kind, key: KEY_IN_TEXT.exec(text)?.[1] ?? '', digest: text.includes('【汇总】'), text, at: Date.now() })
        return answer(200, { errcode: 0, errmsg: 'ok' })
      }
      if (kind === 'webhook') {
        const timestamp = String(req.headers['x-ykt-timestamp'] ?? '')
        const expected = `sha256=${crypto.createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${body}`).digest('hex')}`
        if (req.headers['x-ykt-signature'] !== expected) {
          refused.push({ channel, reason: 'bad signature' })
          return answer(401, { error: 'bad signature' })
        }
        if (tooFast) {
          state.rateLimited++
          return answer(429, { error: 'slow down' }, { 'retry-after': String(options.retryAfterSeconds ?? 1) })
        }
        const parsed = JSON.parse(body) as { key: string; digest: boolean; text: string }
        receipts.push({ channel, kind, key: String(req.headers['idempotency-key'] ?? ''), digest: parsed.digest, text: body, at: Date.now() })
        return answer(200, { ok: true })
      }
      answer(404, { error: 'no such receiver' })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    receipts,
    refused,
    get rateLimited() {
      return state.rateLimited
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

export interface SmtpReceiver {
  url: string
  mails: Array<{ from: string; to: string[]; raw: string; at: number }>
  close(): Promise<void>
}

/** A real SMTP server (smtp-server) on a free port, with AUTH; answers 451 on every n-th message if asked. */
export async function startSmtpReceiver(options: { user?: string; password?: string; tempFailEvery?: number } = {}): Promise<SmtpReceiver> {
  const mails: SmtpReceiver['mails'] = []
  let count = 0
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true, // loopback only in tests
    authOptional: !options.user,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) callback(null, { user: auth.username })
      else callback(new Error('invalid login'))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        count++
        if (options.tempFailEvery && count % options.tempFailEvery === 0) {
          const error = Object.assign(new Error('try again later'), { responseCode: 451 })
          return callback(error)
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        })
        callback()
      })
    },
    logger: false,
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  const auth = options.user ? `${encodeURIComponent(options.user)}:${encodeURIComponent(options.password ?? '')}@` : ''
  return { url: `smtp://${auth}127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}
