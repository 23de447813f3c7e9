import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { io, type Socket } from 'socket.io-client'
import { SOCKETS_FULL } from '../../dashboards/liveContract'
import { makeTempDir } from '../../server/testing/tempDb'
import { browserAvailable, launchBrowser, requireProductionBuild, startServer, watchErrors, type Running } from './harness'

/**
 * A wall that finds the server full (SOCKET_CAP reached) says so in its banner, 「连接已满，稍后
 * 自动重试」, and gets in by itself once a slot frees: nobody reloads a wall by hand.
 */
describe.skipIf(!browserAvailable)('wall when the server is full', () => {
  let server: Running
  let browser: Browser
  let holder: Socket

  beforeAll(async () => {
    requireProductionBuild()
    server = await startServer(makeTempDir('ykt-browser-full-'), undefined, { SOCKET_CAP: '1' })
    browser = await launchBrowser()
  }, 300_000)

  afterAll(async () => {
    holder?.close()
    await browser?.close()
    await server?.close()
  })

  it('shows the reason while full, then connects by itself once a slot is free', async () => {
    // another screen holds the only slot
    holder = io(server.app.url, { auth: { token: server.wallToken }, transports: ['websocket'], forceNew: true, reconnection: false })
    await new Promise<void>((resolve, reject) => {
      holder.once('connect', () => resolve())
      holder.once('connect_error', reject)
    })

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    const errors = watchErrors(page)
    await page.goto(`${server.app.url}/wall?token=${encodeURIComponent(server.wallToken)}&kiosk`, { waitUntil: 'domcontentloaded' })
    const banner = page.locator('[data-banner="full"]')
    await banner.waitFor({ timeout: 30_000 })
    expect(await banner.textContent()).toContain(SOCKETS_FULL)
    expect(await page.locator('.wall-viewport').getAttribute('data-connection')).toBe('disconnected')

    holder.close()
    // the first retry comes 10 s (±25 %) after the refusal
    await page.waitForSelector('.wall-viewport[data-connection="live"]', { timeout: 40_000 })
    expect(await page.locator('[data-banner]').count()).toBe(0)
    // the refusal is a handled state, not a page error
    expect(errors).toEqual([])
    await page.close()
  })
})
