import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openTempDb } from '../../testing/tempDb'
import type { Db } from '../../db/client'
import { findUnmaskedPersonalData } from '../../access/mask'
import { DINGTALK_SECRET, WEBHOOK_SECRET, startHttpReceivers, type HttpReceivers } from '../testing/receivers'
import { insertFlags, startNotifyUnderTest, until, type NotifyUnderTest } from '../testing/harness'
import type { ChannelConfig } from '../config'

let db: Db & { dataDir: string }
let receivers: HttpReceivers
let running: NotifyUnderTest | undefined
beforeAll(async () => {
  db = await openTempDb()
  receivers = await startHttpReceivers()
})
// A notify part left running by a failed test would treat the next test's channels as removed.
afterEach(async () => {
  await running?.close()
  running = undefined
})
afterAll(async () => {
  await receivers.close()
  await db.close()
})

const dingtalk = (id: string, scope: string, url = receivers.url): ChannelConfig => ({ id, type: 'dingtalk', scope, url: `${url}/dingtalk/${id}?access_token=tok-${id}`, secret: DINGTALK_SECRET })
const wecom = (id: string, scope: string, url = receivers.url): ChannelConfig => ({ id, type: 'wecom', scope, url: `${url}/wecom/${id}?key=key-${id}` })
const webhook = (id: string, scope: string, url = receivers.url): ChannelConfig => ({ id, type: 'webhook', scope, url: `${url}/webhook/${id}`, secret: WEBHOOK_SECRET })

async function subscribe(app: NotifyUnderTest, body: Record<string, unknown>, headers = app.adminHeaders): Promise<Response> {
  return fetch(`${app.url}/api/admin/notify/subscriptions`, { method: 'POST', headers, body: JSON.stringify(body) })
}

const got = (r: HttpReceivers, channel: string) => r.receipts.filter((x) => x.channel === channel)

describe('subscriptions and scope', () => {
  it("routes by region, severity and kind; a county's channel never hears of another county", async () => {
    running = await startNotifyUnderTest(db, [dingtalk('zz-dt', '511025'), wecom('sz-wc', '511002'), webhook('city-hook', '511000')])
    const app = running
    expect((await subscribe(app, { channel: 'zz-dt', scope: '511025', minSeverity: 'warn', kinds: ['flag'] })).status).toBe(201)
    expect((await subscribe(app, { channel: 'sz-wc', scope: '511002', minSeverity: 'warn', kinds: ['flag'] })).status).toBe(201)
    expect((await subscribe(app, { channel: 'city-hook', scope: '511000', minSeverity: 'critical', kinds: ['flag'] })).status).toBe(201)
    // A county channel cannot be pointed at another county, and only admins subscribe.
    const outside = await subscribe(app, { channel: 'sz-wc', scope: '511025', kinds: ['flag'] })
    expect(outside.status).toBe(400)
    expect((await outside.json()).error).toContain('资中县 is outside it')
    expect((await subscribe(app, { channel: 'zz-dt', scope: '511025' }, { authorization: 'Bearer staff-token', 'content-type': 'application/json' })).status).toBe(403)
    const channels = await (await fetch(`${app.url}/api/admin/notify/channels`, { headers: app.adminHeaders })).json()
    expect(JSON.stringify(channels)).not.toMatch(/tok-|key-sz|SECtest|webhook-shared/)

    await insertFlags(db, [
      { id: 'ZZCRIT', county: '511025', severity: 'critical', subject: '张** 511025********1234' },
      { id: 'ZZWARN', county: '511025', severity: 'warn', rule: 'R05' },
      { id: 'ZZINFO', county: '511025', severity: 'info', rule: 'R08' },
      { id: 'SZCRIT', county: '511002', severity: 'critical' },
      { id: 'SZWARN', county: '511002', severity: 'warn', rule: 'R05' },
      { id: 'WYCRIT', county: '511024', severity: 'critical' },
    ])
    await app.notify.scan()
    await until(() => got(receivers, 'zz-dt').length + got(receivers, 'sz-wc').length + got(receivers, 'city-hook').length >= 7, 'seven messages')
    await app.notify.worker.runOnce()
    const keys = (channel: string) => got(receivers, channel).map((r) => r.key.split('|')[0]).sort()
    expect(keys('zz-dt')).toEqual(['flag:ZZCRIT', 'flag:ZZWARN'])
    expect(keys('sz-wc')).toEqual(['flag:SZCRIT', 'flag:SZWARN'])
    expect(keys('city-hook')).toEqual(['flag:SZCRIT', 'flag:WYCRIT', 'flag:ZZCRIT'])
    for (const receipt of got(receivers, 'zz-dt')) expect(receipt.text).toContain('资中县')
    for (const receipt of got(receivers, 'sz-wc')) expect(receipt.text).not.toContain('资中县')
    expect(receivers.refused).toEqual([])
    // Masked as on screen, with a link to the flag's region page.
    const zz = got(receivers, 'zz-dt').find((r) => r.key.startsWith('flag:ZZCRIT'))!
    expect(zz.text).toContain('张** 511025********1234')
    expect(zz.text).toContain('https://wall.example/region/')
    expect(zz.text).toContain('flag=ZZCRIT')
    for (const receipt of receivers.receipts) expect(findUnmaskedPersonalData(receipt.text)).toEqual([])
    const deliveries = await (await fetch(`${app.url}/api/admin/notify/deliveries?status=delivered`, { headers: app.adminHeaders })).json()
    expect(deliveries.rows).toHaveLength(7)
    expect(deliveries.rows.every((row: { attempts: number }) => row.attempts === 1)).toBe(true)
    // A second scan (and a restart) finds the same flags again and sends nothing twice.
    await app.notify.scan()
    await app.notify.worker.runOnce()
    await running.close()
    running = await startNotifyUnderTest(db, [dingtalk('zz-dt', '511025'), wecom('sz-wc', '511002'), webhook('city-hook', '511000')])
    await running.notify.scan()
    await running.notify.worker.runOnce()
    expect(got(receivers, 'zz-dt').length + got(receivers, 'sz-wc').length + got(receivers, 'city-hook').length).toBe(7)
  })
})

describe('storms', () => {
  // The late flags must come inside the storm's interval for the test to mean anything: scanning,
  // enqueuing and sending the 1,000 took 11 s at load average 33, so the interval is 30 s.
  const INTERVAL_MS = 30_000
  const POLL_MS = 200
  it('1,000 new flags give one digest per channel per interval, not a thousand messages', async () => {
    running = await startNotifyUnderTest(db, [dingtalk('storm-dt', '511025'), wecom('storm-wc', '511002'), webhook('storm-hook', '511000')], { NOTIFY_DIGEST_SECONDS: String(INTERVAL_MS / 1000), NOTIFY_MAX_SINGLES: '5', NOTIFY_POLL_MS: String(POLL_MS) })
    const app = running
    for (const [channel, scope] of [['storm-dt', '511025'], ['storm-wc', '511002'], ['storm-hook', '511000']]) {
      expect((await subscribe(app, { channel, scope, minSeverity: 'warn', kinds: ['flag'] })).status).toBe(201)
    }
    const counties = ['511025', '511025', '511025', '511025', '511002', '511002', '511002', '511011', '511011', '511011']
    await insertFlags(db, Array.from({ length: 1000 }, (_, i) => ({ id: `STORM${String(i).padStart(4, '0')}`, county: counties[i % 10], severity: i % 3 === 0 ? 'critical' : 'warn' })))
    const started = Date.now()
    await app.notify.scan()
    await until(() => got(receivers, 'storm-dt').length && got(receivers, 'storm-wc').length && got(receivers, 'storm-hook').length ? true : false, 'three digests', INTERVAL_MS)
    // More flags inside the same interval wait for the next one.
    await insertFlags(db, [{ id: 'LATE1', county: '511025' }, { id: 'LATE2', county: '511025' }])
    await app.notify.scan()
    await app.notify.worker.runOnce()
    expect(Date.now() - started, 'the late flags came inside the first interval').toBeLessThan(INTERVAL_MS)
    for (const channel of ['storm-dt', 'storm-wc', 'storm-hook']) {
      expect(got(receivers, channel), channel).toHaveLength(1)
      expect(got(receivers, channel)[0].digest).toBe(true)
    }
    expect(got(receivers, 'storm-dt')[0].text).toContain('400 条新通知')
    expect(got(receivers, 'storm-wc')[0].text).toContain('300 条新通知')
    const hookBody = JSON.parse(got(receivers, 'storm-hook')[0].text)
    expect(hookBody.total).toBe(1000)
    expect(hookBody.key).toMatch(/^digest:storm-hook:/)
    // The late flags are due but held by the interval: the worker does not read the outbox again
    // every poll until the interval ends (it did, and at 400k outbox rows that was most of a core).
    const passesWhileHeld = app.notify.worker.stats.passes
    await new Promise((resolve) => setTimeout(resolve, 5 * POLL_MS))
    expect(app.notify.worker.stats.passes - passesWhileHeld, 'outbox passes while every due row was held').toBe(0)
    // Next interval: the two late flags go out (as singles: well under the per-interval limit).
    await until(() => got(receivers, 'storm-dt').length === 3, 'the late flags in the next interval', 2 * INTERVAL_MS)
    expect(got(receivers, 'storm-dt').slice(1).map((r) => r.key).sort()).toEqual(['flag:LATE1|storm-dt', 'flag:LATE2|storm-dt'])
    expect(got(receivers, 'storm-dt')[1].at - started).toBeGreaterThanOrEqual(INTERVAL_MS)
    // the city webhook hears of the late flags too: its last one may still be on the wire when storm-dt has its third
    const hookCounts = async () =>
      ((await (await fetch(`${app.url}/api/admin/notify/deliveries?channel=storm-hook&limit=1`, { headers: app.adminHeaders })).json()).counts as Array<{ channel_id: string; status: string; n: number }>).filter(
        (c) => c.channel_id === 'storm-hook',
      )
    await until(async () => got(receivers, 'storm-hook').length === 3 && (await hookCounts()).every((c) => c.status === 'delivered'), 'the city webhook done', INTERVAL_MS)
    expect(await hookCounts()).toEqual([{ channel_id: 'storm-hook', status: 'delivered', n: 1002 }])
    console.log(`[storm] ${['storm-dt', 'storm-wc', 'storm-hook'].map((c) => `${c}: ${got(receivers, c).length} message(s), first a digest`).join('; ')}; 1,000 flags sent in ${got(receivers, 'storm-dt')[0].at - started} ms`)
  }, 4 * INTERVAL_MS)
})

describe('receivers that push back', () => {
  it('429 and robot errcodes pause the channel; every message still arrives once', async () => {
    const slow = await startHttpReceivers({ rateLimitEvery: 2, retryAfterSeconds: 1 })
    try {
      running = await startNotifyUnderTest(db, [dingtalk('rl-dt', '511025', slow.url), webhook('rl-hook', '511025', slow.url)], { NOTIFY_MAX_SINGLES: '100' })
      const app = running
      for (const channel of ['rl-dt', 'rl-hook']) expect((await subscribe(app, { channel, scope: '511025', kinds: ['flag'] })).status).toBe(201)
      await insertFlags(db, Array.from({ length: 6 }, (_, i) => ({ id: `RL${i}`, county: '511025' })))
      await app.notify.scan()
      await until(() => got(slow, 'rl-dt').length === 6 && got(slow, 'rl-hook').length === 6, 'all twelve messages', 20_000)
      await app.notify.worker.runOnce()
      for (const channel of ['rl-dt', 'rl-hook']) {
        expect(new Set(got(slow, channel).map((r) => r.key)).size).toBe(6)
      }
      expect(slow.rateLimited).toBeGreaterThanOrEqual(5)
      expect(app.notify.worker.stats.rateLimited).toBe(slow.rateLimited)
      // The webhook said Retry-After: 1 — its messages are at least a second apart after each refusal.
      const hookTimes = got(slow, 'rl-hook').map((r) => r.at)
      expect(hookTimes[5] - hookTimes[0]).toBeGreaterThanOrEqual(4000)
      const failed = await (await fetch(`${app.url}/api/admin/notify/deliveries?status=failed&channel=rl-dt`, { headers: app.adminHeaders })).json()
      expect(failed.rows).toEqual([])
    } finally {
      await running?.close()
      await slow.close()
    }
  })

  it('a dead receiver: retries with backoff, then failed, shown on /api/health without the secret', async () => {
    const dead = await startHttpReceivers()
    await dead.close()
    running = await startNotifyUnderTest(db, [{ id: 'dead-hook', type: 'webhook', scope: '511000', url: `${dead.url}/webhook/dead?token=dead-secret-token`, secret: WEBHOOK_SECRET }], { NOTIFY_MAX_ATTEMPTS: '3' })
    const app = running
    expect((await subscribe(app, { channel: 'dead-hook', scope: '511000', kinds: ['flag'] })).status).toBe(201)
    await insertFlags(db, [{ id: 'DEAD1', county: '511083' }])
    await app.notify.scan()
    const failedRows = async () => (await (await fetch(`${app.url}/api/admin/notify/deliveries?status=failed&channel=dead-hook`, { headers: app.adminHeaders })).json()).rows
    await until(async () => (await failedRows()).length === 1, 'the message given up', 20_000)
    await app.notify.worker.runOnce()
    // health details are for administrators (the public part says only up/down and freshness)
    const health = await (await fetch(`${app.url}/api/health`, { headers: app.adminHeaders })).json()
    expect(health.notify.failed).toBeGreaterThanOrEqual(1)
    expect(health.notify.gaveUp).toBe(1)
    expect(health.notify.lastError).toBe('dead-hook: network: ECONNREFUSED')
    expect(JSON.stringify(health)).not.toContain('dead-secret-token')
    const failed = { rows: await failedRows() }
    expect(failed.rows[0]).toMatchObject({ delivery_key: 'flag:DEAD1|dead-hook', attempts: 3, last_error: 'network: ECONNREFUSED' })
    expect(app.logs.join('\n')).not.toContain('dead-secret-token')
  })
})
