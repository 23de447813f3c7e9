import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningApp } from '../../app'
import { makeTempDir } from '../../testing/tempDb'
import { adminCookie } from '../../testing/adminSession'
import { paymentBatch } from '../../ingest/test/fixtures'
import { postBatch, startIngestApp } from '../../ingest/test/harness'
import { WEBHOOK_SECRET, startHttpReceivers, type HttpReceivers } from '../testing/receivers'
import { until } from '../testing/harness'

/**
 * The whole app (ingest and notify wired by server/parts.ts) with a city operations webhook
 * subscribed to failures: a batch the store cannot write becomes one 系统故障 message; a batch
 * refused to its sender (409) is not a failure of the platform and sends nothing.
 */
let app: RunningApp
let receivers: HttpReceivers
const saved = process.env.NOTIFY_CHANNELS

beforeAll(async () => {
  receivers = await startHttpReceivers()
  process.env.NOTIFY_CHANNELS = JSON.stringify({ channels: [{ id: 'ops-hook', type: 'webhook', scope: '511000', url: `${receivers.url}/webhook/ops-hook`, secret: WEBHOOK_SECRET }] })
  app = await startIngestApp(makeTempDir('ykt-notify-ingest-'))
  const cookie = await adminCookie(app)
  const subscribed = await fetch(`${app.url}/api/admin/notify/subscriptions`, {
    method: 'POST',
    headers: { cookie, origin: app.url, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'ops-hook', scope: '511000', minSeverity: 'critical', kinds: ['failure'] }),
  })
  expect(subscribed.status, await subscribed.text()).toBe(201)
})
afterAll(async () => {
  await app?.close()
  await receivers?.close()
  if (saved === undefined) delete process.env.NOTIFY_CHANNELS
  else process.env.NOTIFY_CHANNELS = saved
})

const failures = async () => {
  const result = await app.ctx.db.client.query({ query: "SELECT event_id, status FROM notify_outbox FINAL WHERE kind = 'failure'", format: 'JSONEachRow' })
  return result.json<{ event_id: string; status: string }>()
}

describe('ingest failures reach the operations channel', () => {
  it('a 409 refusal sends nothing; a batch the store cannot write sends one failure message', async () => {
    expect((await postBatch(app, 'payments', { batchId: 'fault-1', records: paymentBatch(0, 5) })).status).toBe(200)
    const refused = await postBatch(app, 'payments', { batchId: 'fault-1', records: paymentBatch(100, 5) })
    expect(refused.status).toBe(409)
    await new Promise((resolve) => setTimeout(resolve, 2000)) // a fault is routed within milliseconds
    expect(await failures()).toEqual([])
    expect(receivers.receipts).toEqual([])

    // The store itself fails: its ledger table is gone for a moment.
    await app.ctx.db.client.command({ query: 'RENAME TABLE ingest_batch TO ingest_batch_away' })
    try {
      expect((await postBatch(app, 'payments', { batchId: 'fault-2', records: paymentBatch(200, 5) })).status).toBe(500)
    } finally {
      await app.ctx.db.client.command({ query: 'RENAME TABLE ingest_batch_away TO ingest_batch' })
    }
    await until(() => receivers.receipts.length === 1, 'the failure message', 30_000)
    const body = JSON.parse(receivers.receipts[0].text) as { events: Array<{ kind: string; title: string; text: string }> }
    expect(body.events[0]).toMatchObject({ kind: 'failure', title: '数据接入 payments 批次入库失败' })
    expect(body.events[0].text).toContain('fault-2')
    // The worker records the delivery after the receiver answered: wait for that write, not just the receipt.
    await until(async () => (await failures()).every((row) => row.status === 'delivered'), 'the delivery recorded', 30_000)
    expect(await failures()).toEqual([expect.objectContaining({ status: 'delivered' })])
  }, 120_000)
})
