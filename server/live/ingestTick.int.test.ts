import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Socket } from 'socket.io-client'
import { startApp, type RunningApp } from '../app'
import { makeTempDir, testConfig } from '../testing/tempDb'
import { dashboardSchema, type RoomUpdate, type SubscribeAck } from '../../dashboards/types'
import { A1, detailRow, insertDetails, loadFixture } from '../metrics/test/fixture'
import type { LiveHub } from './hub'
import { attachHub, connect, nextEvent, sleep, waitFor, waitWarm } from './test/helpers'
import { tokenAuth } from '../testing/tokenAuth'

/** The interval is a minute: only the tick an ingest starts itself can update the screen in time. */
const TICK_MS = 60_000
const CITY = '511000'
const themes = [
  dashboardSchema.parse({
    id: 'payments',
    title: '发放分析',
    panels: [{ id: 'total', title: '累计发放金额', metric: 'payments.total', kind: 'kpi', period: 'all', grid: { x: 0, y: 0, w: 4, h: 2 } }],
  }),
]

let app: RunningApp
let hub: LiveHub
let socket: Socket
let nextDetail = 0

beforeAll(async () => {
  const auth = tokenAuth({ 'leader-token': { id: 'u1', name: '市领导', role: 'leader', scope: CITY } })
  app = await startApp(testConfig(makeTempDir(), { TICK_MS: String(TICK_MS) }), { auth, rules: false })
  await loadFixture(app.ctx.db)
  const attached = await attachHub(app.ctx, themes, { heartbeatMs: 60_000, refreshEveryMs: 600_000 })
  hub = attached.hub
  await waitWarm(app.ctx)
  socket = await connect(attached.url, 'leader-token')
  const ack: SubscribeAck = await socket.timeout(20_000).emitWithAck('subscribe', { dashboard: 'payments', region: CITY })
  if (!ack.ok) throw new Error(`subscribe refused: ${ack.error}`)
})
afterAll(async () => {
  socket?.close()
  await hub?.close()
  await app?.close()
})

async function ingest(amount: number): Promise<void> {
  const seed = { person: 'p1', at: A1, project: 'P01', status: '成功', amount, payTime: '2024-05-07 10:00:00', gender: '男', birth: '1950-05-01', bank: '农业银行', voucher: 'V1' } as const
  await insertDetails(app.ctx.db, [detailRow({ ...seed, id: `kick-${nextDetail++}` }, 'kick-batch')])
  for (const listener of app.ctx.onIngest) listener({ feed: 'payments', batchId: 'kick-batch', rows: 1, acknowledgedAt: Date.now() })
}

describe('a tick started by new data', () => {
  it('updates the screen long before the next interval tick', async () => {
    const update = nextEvent<RoomUpdate>(socket, 'update', 10_000)
    const started = Date.now()
    await ingest(250)
    expect((await update).panels.total).toBeDefined()
    expect(Date.now() - started).toBeLessThan(TICK_MS / 6)
  })

  it('makes one tick of a burst, and one more for data that came during it', async () => {
    await waitFor(() => hub.stats().idle)
    const ticksBefore = hub.stats().ticks
    const update = nextEvent<RoomUpdate>(socket, 'update', 10_000)
    await Promise.all([ingest(1), ingest(2), ingest(3)])
    await update
    await sleep(200)
    await waitFor(() => hub.stats().idle)
    const ticks = hub.stats().ticks - ticksBefore
    expect(ticks).toBeGreaterThanOrEqual(1)
    expect(ticks).toBeLessThanOrEqual(3)
  })
})
