import fs from 'node:fs'
import type { Db } from '../db/client'
import { issueDisplayToken, revokeDisplayToken } from '../access/displayTokenStore'

/**
 * The briefing email's picture: the overview wall of the leader's region, rendered by the same
 * page a screen shows (`/wall/overview?region=…`) in headless Chromium (playwright-core, the
 * system browser; nothing is downloaded). The page is opened with a display token of that region
 * only, issued for this picture and revoked right after.
 */
export interface OverviewRenderer {
  (region: string): Promise<Buffer>
}

export function overviewRenderer(options: { db: Db; baseUrl: string; chromium: string; timeoutMs?: number }): OverviewRenderer | undefined {
  if (!fs.existsSync(options.chromium)) return undefined
  const timeout = options.timeoutMs ?? 60_000
  return async (region) => {
    const { chromium } = await import('playwright-core')
    const token = await issueDisplayToken(options.db, { label: `briefing ${region}`, scope: region, createdBy: 'notify' })
    const browser = await chromium.launch({ executablePath: options.chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })
    try {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
      await page.goto(`${options.baseUrl}/wall/overview?region=${encodeURIComponent(region)}&token=${encodeURIComponent(token.token)}&kiosk`, { waitUntil: 'domcontentloaded', timeout })
      // The live snapshot has arrived (a panel shows data); then, briefly, the rest: a panel whose
      // metric has nothing for this region stays 'waiting' and must not hold the picture back.
      await page.waitForSelector('[data-panel][data-state="ready"]', { timeout })
      await page
        .waitForFunction(() => document.querySelectorAll('[data-panel][data-state="waiting"]').length === 0, undefined, { timeout: 10_000 })
        .catch(() => {})
      // Charts and the map arrive in chunks of their own after the page (app/lib/lazyModule.ts).
      await page
        .waitForFunction(() => document.querySelectorAll('.echart[data-chart="loading"], .region-map[data-map="loading"]').length === 0, undefined, { timeout: 10_000 })
        .catch(() => {})
      await page.waitForTimeout(1000) // entrance animations
      return await page.screenshot({ type: 'png' })
    } finally {
      await browser.close()
      await revokeDisplayToken(options.db, token.id)
    }
  }
}
