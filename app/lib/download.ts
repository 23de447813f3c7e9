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

/** A title and lines of text as a PNG (KPIs and tables have no chart to export). */
export function textToPng(title: string, lines: string[], background = '#0a1a36'): string {
  const width = 960
  const lineHeight = 34
  const height = 90 + lines.length * lineHeight
  const canvas = document.createElement('canvas')
  canvas.width = width * 2
  canvas.height = height * 2
  const context = canvas.getContext('2d')!
  context.scale(2, 2)
  context.fillStyle = background
  context.fillRect(0, 0, width, height)
  context.fillStyle = '#8ea6c8'
  context.font = '22px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
  context.fillText(title, 24, 40)
  context.fillStyle = '#e8f1ff'
  context.font = '24px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
  lines.forEach((line, i) => context.fillText(line, 24, 84 + i * lineHeight))
  return canvas.toDataURL('image/png')
}
