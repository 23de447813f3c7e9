import type { Frame, Page } from 'playwright-core'

/**
 * What a person in the room sees of a page, measured in the browser: the smallest text on
 * screen, the share of the screen the wall fills, and text that does not fit its box (clipped or
 * spilling out of its panel). Measured over every frame, so /wall/tiles counts its tiles.
 */
export interface LayoutReport {
  smallestText: { px: number; text: string; selector: string }
  /** share (0–1) of the viewport covered by wall canvases or tile frames */
  usedShare: number
  overflowing: Array<{ selector: string; text: string }>
}

export async function measureLayout(page: Page): Promise<LayoutReport> {
  const viewport = page.viewportSize()!
  const reports = await Promise.all(page.frames().map((frame) => measureFrame(frame)))
  const texts = reports.flatMap((r) => r.texts).sort((a, b) => a.px - b.px)
  const top = reports[0]
  return {
    smallestText: texts[0] ?? { px: Infinity, text: '', selector: '' },
    usedShare: top.covered / (viewport.width * viewport.height),
    overflowing: reports.flatMap((r) => r.overflowing),
  }
}

async function measureFrame(frame: Frame): Promise<{ texts: Array<{ px: number; text: string; selector: string }>; covered: number; overflowing: Array<{ selector: string; text: string }> }> {
  return frame.evaluate(() => {
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`
    const visible = (el: Element) => {
      const rect = el.getBoundingClientRect()
      if (rect.width < 1 || rect.height < 1) return false
      if (rect.bottom < 0 || rect.right < 0 || rect.top > innerHeight || rect.left > innerWidth) return false
      const style = getComputedStyle(el)
      return style.visibility !== 'hidden' && Number(style.opacity) > 0.05 && !el.closest('[aria-hidden="true"]')
    }
    const texts: Array<{ px: number; text: string; selector: string }> = []
    const overflowing: Array<{ selector: string; text: string }> = []
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const own = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim()
      if (!own || !visible(el)) continue
      texts.push({ px: parseFloat(getComputedStyle(el).fontSize), text: own.slice(0, 40), selector: name(el) })
      // clipped: cut by its own box (ellipsis, overflow hidden) or spilling out of its panel
      const style = getComputedStyle(el)
      const cut = style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1
      const panel = el.closest('.panel')
      const rect = el.getBoundingClientRect()
      // inside a box that clips on purpose (a scrolling list), rows below its edge are not spilling
      let clipper: Element | null = el.parentElement
      while (clipper && clipper !== panel && getComputedStyle(clipper).overflow === 'visible') clipper = clipper.parentElement
      const outside = panel && clipper === panel ? (() => {
        const p = panel.getBoundingClientRect()
        return rect.right > p.right + 1 || rect.left < p.left - 1 || rect.bottom > p.bottom + 1
      })() : false
      if (cut || outside) overflowing.push({ selector: name(el), text: `${own.slice(0, 40)} (${cut ? `${el.scrollWidth}>${el.clientWidth} px` : 'outside its panel'})` })
    }
    let covered = 0
    for (const el of Array.from(document.querySelectorAll('.wall-canvas, iframe'))) {
      const r = el.getBoundingClientRect()
      const w = Math.max(0, Math.min(innerWidth, r.right) - Math.max(0, r.left))
      const h = Math.max(0, Math.min(innerHeight, r.bottom) - Math.max(0, r.top))
      covered += w * h
    }
    return { texts, covered, overflowing }
  })
}

/** Boxes of two selectors that overlap (e.g. a control over a panel), as "a ∩ b" strings. */
export async function overlaps(page: Page, over: string, under: string): Promise<string[]> {
  return page.evaluate(([a, b]) => {
    const hits: string[] = []
    for (const x of Array.from(document.querySelectorAll(a))) {
      const r = x.getBoundingClientRect()
      for (const y of Array.from(document.querySelectorAll(b))) {
        const s = y.getBoundingClientRect()
        if (r.left < s.right - 0.5 && s.left < r.right - 0.5 && r.top < s.bottom - 0.5 && s.top < r.bottom - 0.5)
          hits.push(`${a} ∩ ${y.getAttribute('data-panel') ?? b}`)
      }
    }
    return hits
  }, [over, under] as const)
}

/**
 * For each horizontal-bar panel (.panel.kind-hbar) of the page, its longest bar as a share of the
 * chart canvas's width: what is left for the bars once names and values are placed. Bar colours
 * are saturated and opaque; text, axes, grid lines and the empty ground are grey, navy or
 * transparent.
 */
export async function barRoom(page: Page): Promise<Array<{ panel: string; share: number }>> {
  // every bar panel drawn (a chart or 暂无数据)
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.panel.kind-hbar')).every((p) => p.getAttribute('data-state') === 'ready' && p.querySelector('.echart[data-chart="ready"] canvas, .empty')), undefined, { timeout: 45_000 })
  // bars grow in (600 ms, far longer on a loaded machine): read until two readings a second apart agree
  let last = ''
  for (let reading = 0; reading < 15; reading++) {
    await page.waitForTimeout(1000)
    const rooms = await measureBarRoom(page)
    if (JSON.stringify(rooms) === last) return rooms
    last = JSON.stringify(rooms)
  }
  return JSON.parse(last)
}

function measureBarRoom(page: Page): Promise<Array<{ panel: string; share: number }>> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.panel.kind-hbar')).flatMap((panel) => {
      const canvas = panel.querySelector('canvas')
      if (!canvas || canvas.width < 1 || canvas.height < 1) return []
      const { width, height } = canvas
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, width, height).data
      // the longest unbroken run of bar colour in a pixel row (legend swatches are short runs)
      let longest = 0
      for (let y = 0; y < height; y++) {
        let run = 0
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4
          const [r, g, b, a] = [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]]
          run = a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 90 ? run + 1 : 0
          longest = Math.max(longest, run)
        }
      }
      return [{ panel: panel.getAttribute('data-panel') ?? '?', share: Math.round((1000 * longest) / width) / 1000 }]
    }),
  )
}
