import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { THEME_IDS } from '../../dashboards/types'
import { makeTempDir } from '../../server/testing/tempDb'
import { browserAvailable, launchBrowser, requireProductionBuild, screenshot, startDemoServer, type Running } from './harness'

/**
 * A rotating wall never goes blank: after its first data, no panel shows 「等待数据…」 again, on
 * any theme of the rotation, in any round. Every panel of the page is watched by a
 * MutationObserver in the page, so even a flash of the waiting text between two themes counts.
 */
describe.skipIf(!browserAvailable)('a rotating wall', () => {
  const dataDir = makeTempDir('ykt-rotation-')
  let server: Running
  let browser: Browser

  beforeAll(async () => {
    requireProductionBuild()
    server = await startDemoServer(dataDir)
    browser = await launchBrowser()
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('never shows the waiting text after first data, rotating through all six themes for three rounds', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 })
    // The page records, from its first moment: when every panel first had data, each later sight
    // of the waiting text (which theme, how many panels) and every theme it showed.
    await page.addInitScript(() => {
      const log = { firstData: 0, waiting: [] as Array<{ at: number; theme: string | null; panels: number }>, themes: [] as string[] }
      ;(window as unknown as { rotationLog: typeof log }).rotationLog = log
      const check = () => {
        const root = document.querySelector('.wall-root')
        const panels = document.querySelectorAll('[data-panel]')
        if (!root || panels.length === 0) return
        const theme = root.getAttribute('data-theme')
        if (theme && log.themes[log.themes.length - 1] !== theme) log.themes.push(theme)
        const waiting = [...document.querySelectorAll('[data-panel] .empty')].filter((el) => el.textContent?.includes('等待数据'))
        if (!log.firstData) {
          if (waiting.length === 0) log.firstData = Date.now()
        } else if (waiting.length > 0) log.waiting.push({ at: Date.now(), theme, panels: waiting.length })
      }
      new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true })
    })
    const url = new URL('/wall?dwell=3&kiosk', server.app.url)
    url.searchParams.set('token', server.wallToken)
    await page.goto(url.toString(), { waitUntil: 'domcontentloaded' })
    await page.waitForFunction(() => (window as unknown as { rotationLog: { firstData: number } }).rotationLog.firstData > 0, undefined, { timeout: 30_000 })
    const firstDataMs = await page.evaluate(() => (window as unknown as { rotationLog: { firstData: number } }).rotationLog.firstData - performance.timeOrigin)
    console.log(`first data ${Math.round(firstDataMs)} ms after navigation`)

    // Three rounds of six themes, 3 s each. A theme stays until the next has data, so a loaded
    // machine stretches the rounds: wait for them (the test is about the waiting text, not speed).
    await page.waitForFunction((rounds) => (window as unknown as { rotationLog: { themes: string[] } }).rotationLog.themes.length >= rounds, 3 * THEME_IDS.length, { timeout: 200_000, polling: 500 })
    await page.waitForTimeout(1500)
    const log = await page.evaluate(() => (window as unknown as { rotationLog: { waiting: unknown[]; themes: string[] } }).rotationLog)
    await screenshot(page, 'wall-rotation-end')
    expect(log.themes.length).toBeGreaterThanOrEqual(3 * THEME_IDS.length)
    expect(new Set(log.themes)).toEqual(new Set(THEME_IDS))
    expect(log.waiting).toEqual([])
    await page.close()
  }, 300_000)
})
