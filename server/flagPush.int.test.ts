import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Socket } from 'socket.io-client'
import { startApp, type RunningApp } from './app'
import { makeTempDir, testConfig } from './testing/tempDb'
import { tokenAuth } from './testing/tokenAuth'
import { attachHub, connect, sleep, waitFor } from './live/test/helpers'
import type { LiveHub } from './live'
import type { FlagEvent } from '../dashboards/types'
import { insert, payment, person, PLACES } from './rules/test/fixture'
import { pushFlags } from './flagPush'

/**
 * The outside test: a flag's amount included payments outside the viewer's scope. Lists and
 * tickers were fixed first (server/rules/scopeOfNotesAndAmounts.int.test.ts); this is the live
 * push every open socket gets when a rule stores a case (the wall's critical-flag card).
 */
const twice = person()
const inWest = payment(twice, { amount_paid: 150 }) // 市中区 511002 (PLACES.a)
const inEast = payment(twice, { ...PLACES.b, amount_paid: 200 }) // 东兴区 511011, town 511011001
const CROSS = 'R03-push-test'
const BUDGET = 'R19-push-test'

const auth = tokenAuth({
  city: { id: 'user:city', name: '市领导', role: 'leader', scope: '511000' },
  east: { id: 'user:east', name: '东兴区', role: 'staff', scope: '511011' },
  'east-wall': { id: 'display:east', name: '东兴区大屏', role: 'wall', scope: '511011' },
  'east-town': { id: 'user:town', name: '东兴镇', role: 'staff', scope: '511011001' },
  'west-wall': { id: 'display:west', name: '市中区大屏', role: 'wall', scope: '511002' },
})

const event = (flagId: string, ruleId: string, amount: number): FlagEvent => ({
  flagId, ruleId, ruleName: ruleId, severity: 'critical', regionCode: PLACES.b.town_code, regionName: '东兴区', amount,
  subject: '测** 511002********0000', detectedAt: '2024-10-01T02:00:00.000Z',
})

let app: RunningApp
let hub: LiveHub
let url: string
const sockets: Socket[] = []

beforeAll(async () => {
  app = await startApp(testConfig(makeTempDir('ykt-flagpush-')), { auth, rules: false, withPages: false })
  await insert(app.ctx.db, 'payment_detail', [inWest, inEast])
  // The case as R03 stores it: the region of the newest payment, the sum paid on both; and a
  // budget case, which has no records and is about its own region only.
  const stored = { class: '后台数据不全', ...PLACES.b, detected_at: '2024-10-01 10:00:00.000' }
  await insert(app.ctx.db, 'flag', [
    { ...stored, flag_id: CROSS, rule_id: 'R03', case_key: 'k1', severity: 'critical', amount: 350, subject: '测** 511002********0000', detail_ids: [inWest.detail_id, inEast.detail_id] },
    { ...stored, flag_id: BUDGET, rule_id: 'R19', case_key: 'k2', severity: 'critical', amount: 90000, subject: '东兴区', detail_ids: [] },
  ])
  ;({ hub, url } = await attachHub(app.ctx, [], { warmRegions: [] }))
}, 180_000)
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close()
})
afterAll(async () => {
  await hub?.close()
  await app?.close()
})

async function listen(token: string): Promise<FlagEvent[]> {
  const socket = await connect(url, token)
  sockets.push(socket)
  const got: FlagEvent[] = []
  socket.on('flag', (flag: FlagEvent) => got.push(flag))
  return got
}

describe('flags pushed to open sockets', () => {
  it('carry the amount paid inside each socket\'s scope', async () => {
    const [city, east, eastWall, eastTown, westWall] = await Promise.all(['city', 'east', 'east-wall', 'east-town', 'west-wall'].map(listen))
    await pushFlags(app.ctx, hub, [event(CROSS, 'R03', 350), event(BUDGET, 'R19', 90000)])
    await waitFor(() => [city, east, eastWall, eastTown].every((got) => got.length === 2), 10_000)
    await sleep(200)
    const amounts = (got: FlagEvent[]) => Object.fromEntries(got.map((flag) => [flag.flagId, flag.amount]))
    expect(amounts(city)).toEqual({ [CROSS]: 350, [BUDGET]: 90000 })
    // 150 of the case's 350 were paid in 市中区: not 东兴区's to see, nor its town's.
    expect(amounts(east)).toEqual({ [CROSS]: 200, [BUDGET]: 90000 })
    expect(amounts(eastWall)).toEqual({ [CROSS]: 200, [BUDGET]: 90000 })
    expect(amounts(eastTown)).toEqual({ [CROSS]: 200, [BUDGET]: 90000 })
    // The case sits in 东兴区: 市中区's wall gets no push of it at all (its panels count it).
    expect(westWall).toEqual([])
    // Wall screens still get no person in the subject.
    expect(eastWall.every((flag) => flag.subject === '')).toBe(true)
  })
})
