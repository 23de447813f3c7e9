import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dashboards } from '../../dashboards'
import type { PanelData } from '../../dashboards/types'
import { chartOption } from './chartOptions'

/**
 * The charts the pages draw, drawn with the modules the pages load (plus the SVG renderer, to read
 * the result as text): a part of an option whose component is not registered is dropped without a
 * word, as the 序时进度 line on every execution chart was.
 *
 * The modules are bundled first, as the pages' bundler does: a bundler honours echarts'
 * `sideEffects` list and drops what `echarts/core` registers on its own (its label layout), which
 * a plain import in Node keeps. Value labels were still written across 序时进度 on the wall while
 * an unbundled draw showed them moved.
 */
type PagesEcharts = { init: (dom: null, theme: null, opts: object) => { setOption(option: object): void; renderToSVGString(): string; dispose(): void } }
let pagesEcharts: PagesEcharts
let dir: string

beforeAll(async () => {
  const bundled = await build({
    stdin: {
      contents: `import { use } from 'echarts/core'
        import { SVGRenderer } from 'echarts/renderers'
        use([SVGRenderer])
        export { init } from './echartsModules'`,
      resolveDir: import.meta.dirname,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  })
  dir = await mkdtemp(join(tmpdir(), 'echarts-pages-'))
  const file = join(dir, 'echarts.mjs')
  await writeFile(file, bundled.outputFiles[0].text)
  pagesEcharts = (await import(pathToFileURL(file).href)) as PagesEcharts
})

afterAll(() => rm(dir, { recursive: true, force: true }))

/** `updates`: how many more times the option is set, as a live wall sets it on every push */
function draw(panelId: string, data: PanelData, updates = 0): string {
  const panel = dashboards.budget.panels.find((p) => p.id === panelId)!
  const chart = pagesEcharts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 400 })
  for (let i = 0; i <= updates; i++) chart.setOption(chartOption(panel, data, 1)!)
  const svg = chart.renderToSVGString()
  chart.dispose()
  return svg
}

describe('charts drawn with the pages\' ECharts modules', () => {
  it('draws the 序时进度 line on the execution charts by department and by region', () => {
    const reference = { label: '序时进度', value: 100 }
    expect(draw('by-dept', { kind: 'series', categories: ['民政', '人社'], series: [{ name: '执行率', values: [50.8, 40] }], reference })).toContain('序时进度 100')
    expect(draw('by-region', { kind: 'regions', rows: [{ code: '511025', name: '资中县', value: 25.1 }], reference })).toContain('序时进度 100')
  })

  it.each([0, 1, 2])('writes a value label just short of 序时进度 past the line, not across it (after %i updates)', (updates) => {
    const svg = draw('by-region', {
      kind: 'regions',
      rows: [{ code: '511011', name: '东兴区', value: 97.4 }, { code: '511025', name: '资中县', value: 60 }],
      reference: { label: '序时进度', value: 100 },
    }, updates)
    const lineX = Number(/<path d="M([\d.]+) [\d.]+L\1 [\d.]+"[^>]*stroke-dasharray/.exec(svg)?.[1])
    const labelX = (text: string) => Number(new RegExp(`translate\\(([\\d.]+) [\\d.]+\\)"[^>]*>${text}</text>`).exec(svg)?.[1])
    expect(lineX).toBeGreaterThan(0)
    // 97.4 % starts right of the line; 60 % ends well before it and stays at its bar
    expect(labelX('97.4%')).toBeGreaterThan(lineX)
    expect(labelX('60.0%')).toBeLessThan(lineX * 0.7)
  })
})
