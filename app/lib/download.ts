import { withTextChunks } from './pngText'

/**
 * Exports for the minutes: a chart's PNG (ECharts getDataURL), the map's SVG drawn onto a canvas,
 * a KPI drawn as text, and CSV. Browser-only helpers.
 */
export function downloadUrl(url: string, fileName: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
}

export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  downloadUrl(url, fileName)
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Rasterises an SVG element at 2× on the wall's navy ground. */
export async function svgToPng(svg: SVGSVGElement, background = '#0a1a36'): Promise<string> {
  const width = svg.width.baseVal.value || svg.clientWidth
  const height = svg.height.baseVal.value || svg.clientHeight
  const markup = new XMLSerializer().serializeToString(svg)
  const image = new Image()
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve()
    image.onerror = () => reject(new Error('SVG could not be drawn'))
  })
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`
  await loaded
  const canvas = document.createElement('canvas')
  canvas.width = width * 2
  canvas.height = height * 2
  const context = canvas.getContext('2d')!
  context.scale(2, 2)
  context.fillStyle = background
  context.fillRect(0, 0, width, height)
  context.drawImage(image, 0, 0, width, height)
  return canvas.toDataURL('image/png')
}

const FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'

async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image()
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve()
    image.onerror = () => reject(new Error('image could not be drawn'))
  })
  image.src = url
  await loaded
  return image
}

/** The canvas as PNG bytes with the header as iTXt chunks (Title, Description). */
function pngWithText(canvas: HTMLCanvasElement, header: string[]): string {
  const bytes = Uint8Array.from(atob(canvas.toDataURL('image/png').split(',')[1]), (c) => c.charCodeAt(0))
  const tagged = withTextChunks(bytes, { Title: header[0] ?? '', Description: header.slice(1).join('\n') })
  return URL.createObjectURL(new Blob([tagged as BlobPart], { type: 'image/png' }))
}

/**
 * A picture fit for the minutes: a header band (title; region, filters, period and units;
 * 数据截至) in the CJK font over the body: a chart or map image, or lines of text (KPIs, tables),
 * each line as wide as it needs. Returns an object URL of a PNG whose iTXt chunks repeat the header.
 */
export async function framedPng(header: string[], body: { imageUrl?: string; lines?: string[] }, background = '#0a1a36'): Promise<string> {
  await Promise.all([document.fonts.load(`bold 26px ${FONT_FAMILY}`), document.fonts.load(`18px ${FONT_FAMILY}`)]).catch(() => undefined)
  const image = body.imageUrl ? await loadImage(body.imageUrl) : null
  // header text grows with a large picture (a 2× chart), so it reads at the same size
  const s = image ? Math.max(1, image.width / 1200) : 1
  const measure = document.createElement('canvas').getContext('2d')!
  const widthOf = (text: string, font: string) => ((measure.font = font), measure.measureText(text).width)
  const titleFont = `bold ${26 * s}px ${FONT_FAMILY}`
  const metaFont = `${17 * s}px ${FONT_FAMILY}`
  const lineFont = `${22 * s}px ${FONT_FAMILY}`
  const lines = body.lines ?? []
  const pad = 24 * s
  const width = Math.ceil(Math.max(image?.width ?? 0, widthOf(header[0] ?? '', titleFont) + 2 * pad, ...header.slice(1).map((h) => widthOf(h, metaFont) + 2 * pad), ...lines.map((l) => widthOf(l, lineFont) + 2 * pad), 640))
  const headerHeight = (52 + 28 * (header.length - 1) + 14) * s
  const linesHeight = lines.length ? (lines.length * 34 + 24) * s : 0
  const height = Math.ceil(headerHeight + (image?.height ?? 0) + linesHeight)
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const context = canvas.getContext('2d')!
  context.fillStyle = background
  context.fillRect(0, 0, width, height)
  context.fillStyle = '#0c2a5c'
  context.fillRect(0, 0, width, headerHeight - 6 * s)
  context.fillStyle = '#ffffff'
  context.font = titleFont
  context.fillText(header[0] ?? '', pad, 38 * s)
  context.fillStyle = '#b9cbe6'
  context.font = metaFont
  header.slice(1).forEach((line, i) => context.fillText(line, pad, (38 + 30 + 28 * i) * s))
  if (image) context.drawImage(image, 0, headerHeight)
  context.fillStyle = '#e8f1ff'
  context.font = lineFont
  lines.forEach((line, i) => context.fillText(line, pad, headerHeight + (34 + i * 34) * s))
  return pngWithText(canvas, header)
}

/**
 * The whole theme as seen on screen, one picture: each panel box where it sits, its title, its
 * chart canvas or map as drawn, its figures and rows as text, under the export header.
 */
export async function themePng(grid: HTMLElement, header: string[]): Promise<string> {
  await document.fonts.load(`bold 18px ${FONT_FAMILY}`).catch(() => undefined)
  const scale = 2
  const box = grid.getBoundingClientRect()
  const headerHeight = 52 + 28 * (header.length - 1) + 14
  const canvas = document.createElement('canvas')
  canvas.width = Math.ceil(box.width * scale)
  canvas.height = Math.ceil((box.height + headerHeight) * scale)
  const context = canvas.getContext('2d')!
  context.scale(scale, scale)
  context.fillStyle = '#050d1f'
  context.fillRect(0, 0, box.width, box.height + headerHeight)
  context.fillStyle = '#0c2a5c'
  context.fillRect(0, 0, box.width, headerHeight - 6)
  context.fillStyle = '#ffffff'
  context.font = `bold 26px ${FONT_FAMILY}`
  context.fillText(header[0] ?? '', 24, 38)
  context.fillStyle = '#b9cbe6'
  context.font = `17px ${FONT_FAMILY}`
  header.slice(1).forEach((line, i) => context.fillText(line, 24, 68 + 28 * i))
  const at = (el: Element) => {
    const r = el.getBoundingClientRect()
    return { x: r.left - box.left, y: r.top - box.top + headerHeight, w: r.width, h: r.height }
  }
  for (const panel of Array.from(grid.querySelectorAll<HTMLElement>('.panel'))) {
    const p = at(panel)
    context.fillStyle = '#0a1a36'
    context.fillRect(p.x, p.y, p.w, p.h)
    context.strokeStyle = '#1c3f73'
    context.strokeRect(p.x + 0.5, p.y + 0.5, p.w - 1, p.h - 1)
    context.fillStyle = '#dff3ff'
    context.font = `bold 16px ${FONT_FAMILY}`
    context.fillText(panel.querySelector('.panel-title span')?.textContent ?? '', p.x + 12, p.y + 24)
    const canvases = Array.from(panel.querySelectorAll('canvas'))
    const svgs = Array.from(panel.querySelectorAll<SVGSVGElement>('svg'))
    for (const chart of canvases) {
      const c = at(chart)
      context.drawImage(chart, c.x, c.y, c.w, c.h)
    }
    for (const svg of svgs) {
      const c = at(svg)
      context.drawImage(await loadImage(await svgToPng(svg)), c.x, c.y, c.w, c.h)
    }
    if (canvases.length || svgs.length) continue
    // figures and rows as text, the visible copy only (scrolling lists repeat themselves)
    const rows = Array.from(panel.querySelectorAll('.kpi-number, .kpi-compare, tr, li, .empty')).filter((el) => !el.closest('[aria-hidden="true"]'))
    context.fillStyle = '#e8f1ff'
    rows.slice(0, Math.floor((p.h - 40) / 22)).forEach((row, i) => {
      const text = row.children.length && /^(TR|LI)$/.test(row.tagName) ? Array.from(row.children).map((c) => c.textContent).join('  ') : row.textContent ?? ''
      context.font = row.classList.contains('kpi-number') ? `bold 30px ${FONT_FAMILY}` : `14px ${FONT_FAMILY}`
      context.fillText(text, p.x + 14, p.y + (row.classList.contains('kpi-number') ? 70 : 50 + i * 22), p.w - 28)
    })
  }
  return pngWithText(canvas, header)
}
