import { afterEach, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../app'
import { makeTempDir, testConfig } from '../testing/tempDb'

const quiet = { info() {}, warn() {}, error() {} }
const dataDir = makeTempDir('ykt-bench-probe-')
let app: RunningApp | undefined

afterEach(async () => {
  await app?.close()
  app = undefined
})

describe('GET /api/bench/event-loop', () => {
  it('is not served unless BENCH_PROBE=on', async () => {
    app = await startApp(testConfig(dataDir), { log: quiet, rules: false })
    expect((await fetch(`${app.url}/api/bench/event-loop`)).status).toBe(404)
  })

  it('reports the event-loop delay since the previous reading, a block of the loop included', async () => {
    app = await startApp(testConfig(dataDir, { BENCH_PROBE: 'on' }), { log: quiet, rules: false })
    await fetch(`${app.url}/api/bench/event-loop`) // starts a fresh window
    await new Promise((resolve) => setTimeout(resolve, 100))
    // Blocked far longer than a loaded machine delays the loop by itself (190 ms seen at load 44 on
    // 2 cores), so the window with the block and the one after it stay apart however busy the machine.
    const blockedUntil = Date.now() + 1500
    while (Date.now() < blockedUntil); // the server's loop is blocked for 1.5 s
    await new Promise((resolve) => setTimeout(resolve, 100))
    const reading = await (await fetch(`${app.url}/api/bench/event-loop`)).json()
    expect(reading.windowMs).toBeGreaterThanOrEqual(1700)
    expect(reading.samples).toBeGreaterThan(0)
    expect(reading.maxMs).toBeGreaterThanOrEqual(1400)
    const next = await (await fetch(`${app.url}/api/bench/event-loop`)).json()
    expect(next.maxMs).toBeLessThan(700) // a new window: the block is not in it
  })
})
