import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannels, readChannelConfigs, readNotifySettings } from '../config'
import { ConfigError } from '../../config'
import { singleMessage } from '../message'
import { dingtalkSign } from '../channels/dingtalk'
import type { NotifyEvent } from '../types'
import { DINGTALK_SECRET, WEBHOOK_SECRET, startHttpReceivers, startSmtpReceiver, type HttpReceivers, type SmtpReceiver } from '../testing/receivers'

const event: NotifyEvent = {
  eventId: 'flag:ABC123',
  kind: 'flag',
  severity: 'critical',
  regionCode: '511025',
  regionName: '资中县',
  title: '死亡后仍发放',
  text: '张** 5110**********1234 金额 300.00 元',
  link: '/region/511025?flag=ABC123',
  occurredAt: '2026-12-02T02:00:00.000Z',
}

const logs: string[] = []
const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) }
let http: HttpReceivers
let smtp: SmtpReceiver
beforeAll(async () => {
  http = await startHttpReceivers({ rateLimitEvery: 3, retryAfterSeconds: 7 })
  smtp = await startSmtpReceiver({ user: 'mailer', password: 'smtp-pass-123456' })
})
afterAll(async () => {
  await http.close()
  await smtp.close()
})

function load(env: Record<string, string>) {
  const settings = readNotifySettings({ NOTIFY_RATE_PAUSE_SECONDS: '30', NOTIFY_TIMEOUT_MS: '2000', NOTIFY_PUBLIC_URL: 'https://wall.example' }, 3000)
  return createChannels(readChannelConfigs(env), settings, log)
}

describe('channels against real local receivers', () => {
  it('DingTalk signed mode: the receiver checks timestamp + HMAC-SHA256 and accepts; errcode 130101 pauses', async () => {
    const { channels } = load({
      NOTIFY_CHANNELS: JSON.stringify({ channels: [{ id: 'dt', type: 'dingtalk', scope: '511025', url: `${http.url}/dingtalk/dt?access_token=tok-dt-0001`, secret: 'env:DT_SECRET' }] }),
      DT_SECRET: DINGTALK_SECRET,
    })
    const dt = channels.get('dt')!
    const outcomes = []
    for (let i = 0; i < 3; i++) outcomes.push(await dt.send(singleMessage(`flag:ABC12${i}|dt`, event, 'https://wall.example')))
    expect(outcomes[0]).toEqual({ ok: true })
    expect(outcomes[1]).toEqual({ ok: true })
    expect(outcomes[2]).toMatchObject({ ok: false, rateLimitedMs: 30_000 })
    expect(http.refused).toEqual([])
    const got = http.receipts.filter((r) => r.channel === 'dt')
    expect(got.map((r) => r.key)).toEqual(['flag:ABC120|dt', 'flag:ABC121|dt'])
    expect(got[0].text).toContain('https://wall.example/region/511025?flag=ABC123')
  })

  it('a wrong DingTalk secret is refused by the receiver and reported without the secret', async () => {
    const { channels } = load({
      NOTIFY_CHANNELS: JSON.stringify({ channels: [{ id: 'dt-bad', type: 'dingtalk', scope: '511025', url: `${http.url}/dingtalk/dt-bad?access_token=tok-dt-0002`, secret: 'SECwrong-secret-000000' }] }),
    })
    const outcome = await channels.get('dt-bad')!.send(singleMessage('k1', event, 'https://wall.example'))
    expect(outcome).toMatchObject({ ok: false, error: 'errcode 310000: sign not match' })
    expect(http.refused.at(-1)).toEqual({ channel: 'dt-bad', reason: 'sign not match' })
  })

  it('the sign is the url-encoded base64 HMAC of "timestamp\\nsecret" (DingTalk document example shape)', () => {
    const sign = dingtalkSign('SEC000', 1577262236757)
    expect(decodeURIComponent(sign)).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(sign).not.toMatch(/[+/=]/) // encoded for the query
  })

  it('WeCom robot: delivered, and errcode 45009 is a rate limit', async () => {
    const { channels } = load({ NOTIFY_CHANNELS: JSON.stringify({ channels: [{ id: 'wc', type: 'wecom', scope: '511000', url: `${http.url}/wecom/wc?key=wecom-key-0001` }] }) })
    const outcomes = []
    for (let i = 0; i < 3; i++) outcomes.push(await channels.get('wc')!.send(singleMessage(`k${i}`, event, 'https://wall.example')))
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false])
    expect(outcomes[2]).toMatchObject({ rateLimitedMs: 30_000 })
  })

  it('webhook: signed body with an idempotency key; HTTP 429 honours Retry-After', async () => {
    const { channels } = load({ NOTIFY_CHANNELS: JSON.stringify({ channels: [{ id: 'hk', type: 'webhook', scope: '511000', url: `${http.url}/webhook/hk`, secret: WEBHOOK_SECRET }] }) })
    const outcomes = []
    for (let i = 0; i < 3; i++) outcomes.push(await channels.get('hk')!.send(singleMessage(`hk-key-${i}`, event, 'https://wall.example')))
    expect(outcomes.slice(0, 2)).toEqual([{ ok: true }, { ok: true }])
    expect(outcomes[2]).toEqual({ ok: false, error: 'HTTP 429', rateLimitedMs: 7000 })
    const got = http.receipts.filter((r) => r.channel === 'hk')
    expect(got.map((r) => r.key)).toEqual(['hk-key-0', 'hk-key-1'])
    expect(JSON.parse(got[0].text).events[0].link).toBe('https://wall.example/region/511025?flag=ABC123')
  })

  it('email over SMTP with AUTH: subject, masked text, Message-ID from the key', async () => {
    const { channels } = load({
      NOTIFY_CHANNELS: JSON.stringify({ channels: [{ id: 'mail', type: 'email', scope: '511000', smtp: 'env:SMTP_URL', from: 'ykt@example.gov.cn', to: ['leader@example.gov.cn'] }] }),
      SMTP_URL: smtp.url,
    })
    const outcome = await channels.get('mail')!.send(singleMessage('mail-key-1', event, 'https://wall.example'))
    channels.get('mail')!.close?.()
    expect(outcome).toEqual({ ok: true })
    expect(smtp.mails).toHaveLength(1)
    expect(smtp.mails[0].to).toEqual(['leader@example.gov.cn'])
    expect(smtp.mails[0].raw).toMatch(/X-Ykt-Idempotency-Key: mail-key-1/)
    expect(smtp.mails[0].raw).toMatch(/Message-ID: <[0-9a-f]{32}@ykt-notify>/i)
  })

  it('secrets never appear in errors or logs: a refused connection names only the code', async () => {
    const closed = await startHttpReceivers()
    await closed.close()
    const port = new URL(closed.url).port
    const { channels, redact } = load({
      NOTIFY_CHANNELS: JSON.stringify({ channels: [{ id: 'gone', type: 'webhook', scope: '511000', url: `http://127.0.0.1:${port}/webhook/gone?token=very-secret-token`, secret: WEBHOOK_SECRET }] }),
    })
    const outcome = await channels.get('gone')!.send(singleMessage('k', event, 'https://wall.example'))
    expect(outcome).toEqual({ ok: false, error: 'network: ECONNREFUSED' })
    expect(channels.get('gone')!.describe).toBe(`webhook http://127.0.0.1:${port} (signed)`)
    expect(redact(`failed http://127.0.0.1:${port}/webhook/gone?token=very-secret-token with ${WEBHOOK_SECRET}`)).toBe('failed *** with ***')
    expect(redact('token very-secret-token')).toBe('token ***')
  })

  it('bad configuration names the channel and field, never the value', () => {
    const attempt = (channels: unknown[], env: Record<string, string> = {}) => () => readChannelConfigs({ NOTIFY_CHANNELS: JSON.stringify({ channels }), ...env })
    expect(attempt([{ id: 'x', type: 'dingtalk', scope: '511025', url: 'http://robot.example/send?access_token=abcdef' }])).toThrow(/channel x field url: an https:\/\/ URL/)
    expect(attempt([{ id: 'y', type: 'webhook', scope: '999999', url: 'https://h.example', secret: 'env:NOPE' }])).toThrow(ConfigError)
    expect(attempt([{ id: 'y', type: 'webhook', scope: '511000', url: 'https://h.example', secret: 'env:NOPE' }])).toThrow('notify: channel y field secret names environment variable NOPE, which is not set')
    expect(attempt([{ id: 'z', type: 'webhook', scope: '511000', url: 'https://h.example', secret: 'short' }])).toThrow(/channel z field secret/)
    try {
      attempt([{ id: 'z', type: 'webhook', scope: '511000', url: 'https://h.example', secret: 'short' }])()
    } catch (error) {
      expect(String(error)).not.toContain('short')
    }
  })
})
