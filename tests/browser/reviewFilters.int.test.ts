import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { dashboards } from '../../dashboards'
import { periods, REVIEW_FILTERS, reviewFilterTitles } from '../../dashboards/types'
import { createUser } from '../../server/access/userStore'
import { projectByCode } from '../../server/catalogue'
import { makeTempDir } from '../../server/testing/tempDb'
import { browserAvailable, launchBrowser, requireProductionBuild, screenshot, startDemoServer, watchErrors, type Running } from './harness'

/**
 * The review page's filters as a finance leader uses them: every project offered by name and sent
 * as its code, numbers that follow the filter, panels that do not follow it saying so, a period on
 * every panel, and a staff member landing on their own county.
 */
describe.skipIf(!browserAvailable)('review filters in the browser', () => {
  const dataDir = makeTempDir('ykt-review-')
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

  async function open(path: string, cookie: { name: string; value: string }): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 })
    const errors = watchErrors(page)
    await page.context().addCookies([{ ...cookie, url: server.app.url }])
    await page.goto(new URL(path, server.app.url).toString(), { waitUntil: 'domcontentloaded' })
    return { page, errors }
  }

  const api = async (path: string) =>
    (await (await fetch(`${server.app.url}${path}`, { headers: { cookie: `${server.leaderCookie.name}=${server.leaderCookie.value}` } })).json()) as {
      data: { kind: string; value: number }
    }

  it('offers every project by name, filters by its code and marks the panels that do not follow it', async () => {
    const project = 'P26'
    const name = projectByCode(project)!.name
    const { page, errors } = await open(`/review/payments?project=${project}`, server.leaderCookie)
    const select = page.locator('label', { hasText: '项目' }).locator('select')
    await expect.poll(() => select.locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(80)
    expect(await select.locator('option:checked').textContent()).toBe(name)

    // The KPI follows the project: the page shows what the API answers for the code, not 0.
    const expected = (await api(`/api/metrics/payments.total?region=511000&project=${project}`)).data.value
    expect(expected).toBeGreaterThan(0)
    const total = page.locator('[data-panel="total"]')
    await expect.poll(() => total.locator('.kpi-digits').getAttribute('data-value'), { timeout: 30_000 }).toBe(String(expected))
    expect(await total.getAttribute('data-not-followed')).toBeNull()

    // Every panel that does not declare the project filter says so on screen.
    for (const panel of dashboards.payments.panels) {
      const element = page.locator(`[data-panel="${panel.id}"]`)
      if (panel.filters.includes('project')) expect(await element.getAttribute('data-not-followed'), panel.id).toBeNull()
      else {
        expect(await element.getAttribute('data-not-followed'), panel.id).toBe('project')
        expect(await element.locator('.unfiltered-tag').textContent(), panel.id).toBe('不随项目筛选')
      }
      // and every panel names its period
      expect(await element.getAttribute('data-period'), panel.id).toBeTruthy()
    }
    await screenshot(page, 'review-payments-project')
    expect(errors).toEqual([])
    await page.close()
  }, 90_000)

  it('follows the year on the panels that declare it, with the year as their period', async () => {
    const year = String(new Date().getFullYear() - 1)
    const { page, errors } = await open(`/review/budget?year=${year}&dept=${encodeURIComponent('民政')}`, server.leaderCookie)
    await page.waitForFunction(() => document.querySelector('[data-panel="chain"]')?.getAttribute('data-state') === 'ready', null, { timeout: 30_000 })
    expect(await page.locator('[data-panel="chain"]').getAttribute('data-period')).toBe(`${year}年`)
    expect(await page.locator('[data-panel="idle-funds"]').getAttribute('data-not-followed')).toBe('year,dept')
    await screenshot(page, 'review-budget-year-dept')
    expect(errors).toEqual([])
    await page.close()
  }, 90_000)

  it('a year, a department and a project chosen in the filter bar: on every theme each panel shows the filtered figures or says it does not follow, with its definition and period', async () => {
    const year = String(new Date().getFullYear() - 1)
    const dept = '民政'
    const project = 'P02'
    const active = { year, project, dept }
    const { page, errors } = await open('/review/overview', server.leaderCookie)
    // a panel with live data means the page is hydrated: a choice made before that changes the
    // select but reaches no handler (the URL kept no filter for 30 s in a clean-clone CI run)
    await page.waitForSelector('[data-panel][data-state="ready"]', { timeout: 60_000 })
    // chosen as a leader would: by the year, the department's name and the project's name
    const filterSelect = (label: string) => page.locator('label', { hasText: label }).locator('select')
    await filterSelect('年度').selectOption(year)
    await page.waitForURL(/year=/, { timeout: 30_000 })
    await filterSelect('部门').selectOption({ label: dept })
    await page.waitForURL(/dept=/, { timeout: 30_000 })
    await expect.poll(() => filterSelect('项目').locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(10)
    await filterSelect('项目').selectOption({ label: projectByCode(project)!.name })
    // the page sends the project's code, never its name
    await page.waitForURL((url) => url.searchParams.get('project') === project && url.searchParams.get('dept') === dept && url.searchParams.get('year') === year, { timeout: 30_000 })

    for (const [theme, dashboard] of Object.entries(dashboards)) {
      if (theme !== 'overview') {
        // the theme buttons keep the filters
        await page.locator('.toolbar button', { hasText: dashboard.title }).click()
        await page.waitForURL((url) => url.pathname === `/review/${theme}` && url.searchParams.get('project') === project, { timeout: 30_000 })
      }
      // the live room has read the seeded data (rooms computed before the seed landed say 数据截至 —
      // until the hub's full re-read): the panels that do not follow the filters show real figures
      await expect.poll(() => page.locator('.page-head.toolbar > span', { hasText: '数据截至' }).first().textContent(), { timeout: 120_000, interval: 1_000 }).toMatch(/\d{4}年/)
      // a panel that follows a filter waits for its filtered answer: ready means filtered numbers
      const count = dashboard.panels.length
      await page.waitForFunction(
        ({ theme, count }) => document.querySelector(`.page.review[data-theme="${theme}"]`) !== null && document.querySelectorAll('[data-panel][data-state="ready"]').length === count,
        { theme, count },
        { timeout: 60_000 },
      )
      for (const panel of dashboard.panels) {
        const where = `${theme}/${panel.id}`
        const element = page.locator(`[data-panel="${panel.id}"]`)
        // 口径 on hover: the panel title carries its metric's definition
        expect(await element.locator('.panel-title > span').first().getAttribute('title'), where).toMatch(/^口径：.{8,}/)
        const followed = REVIEW_FILTERS.filter((kind) => panel.filters.includes(kind))
        const notFollowed = REVIEW_FILTERS.filter((kind) => !panel.filters.includes(kind))
        // follows: its figures are the filtered answer, under the filters it follows
        expect((await element.getAttribute('data-filtered'))?.split(',').sort() ?? [], where).toEqual([...followed].sort())
        // does not follow: greyed, with a visible tag saying which filter it ignores
        expect(await element.getAttribute('data-not-followed'), where).toBe(notFollowed.length ? notFollowed.join(',') : null)
        const tag = element.locator('.unfiltered-tag')
        if (notFollowed.length === 0) expect(await tag.count(), where).toBe(0)
        else {
          await expect.poll(() => tag.isVisible(), { timeout: 5_000 }).toBe(true)
          expect(await tag.textContent(), where).toBe(notFollowed.length === 1 ? `不随${reviewFilterTitles[notFollowed[0]]}筛选` : '不随筛选')
          for (const kind of notFollowed) expect(await tag.getAttribute('title'), where).toContain(reviewFilterTitles[kind])
        }
        // its period: the chosen year when it follows the year, its own period otherwise
        expect(await element.getAttribute('data-period'), where).toBe(panel.filters.includes('year') ? `${year}年` : periods[panel.period])
        // and the chosen year is on screen, even on a narrow tile whose title says 累计
        if (panel.filters.includes('year')) expect(await element.locator('.panel-foot .period-tag').isVisible(), where).toBe(true)
        // a KPI that follows every filter shows what the API answers for the codes
        const digits = element.locator('.kpi-digits')
        if (followed.length === 3 && (await digits.count()) === 1) {
          const query = new URLSearchParams({ region: '511000', ...Object.fromEntries(Object.entries(panel.params).map(([k, v]) => [k, String(v)])), ...active })
          expect(Number(await digits.getAttribute('data-value')), where).toBe((await api(`/api/metrics/${panel.metric}?${query}`)).data.value)
        }
      }
      expect(await page.locator('.notice').count(), `${theme}: no failed filtered query`).toBe(0)
      // the whole page: every panel of the theme, for the reader of the closing note
      await screenshot(page, `review-${theme}-year-project-dept`, { fullPage: true })
    }
    expect(errors).toEqual([])
    await page.close()
  }, 300_000)

  it('sends a staff member without a region to their own county', async () => {
    await createUser(server.app.ctx.db, { username: 'review-staff', role: 'staff', scope: '511025', password: 'review-staff-pw' })
    const response = await fetch(`${server.app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'review-staff', password: 'review-staff-pw' }),
    })
    const [name, value] = response.headers.get('set-cookie')!.split(';')[0].split('=')
    const { page } = await open('/review/overview', { name, value })
    await page.waitForURL(/region=511025/, { timeout: 30_000 })
    await page.waitForFunction(() => document.querySelector('[data-panel="total"]')?.getAttribute('data-state') === 'ready', null, { timeout: 30_000 })
    expect(await page.locator('.notice[role="alert"]').count()).toBe(0)
    await page.close()
  }, 90_000)
})
