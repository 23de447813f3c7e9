import { describe, expect, it } from 'vitest'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { dashboards } from '../../dashboards'
import type { PanelData } from '../../dashboards/types'
import { chartOption } from './chartOptions'
import './echartsModules'

/**
 * The charts the pages draw, drawn with the modules the pages load (plus the SVG renderer, to read
 * the result as text): a part of an option whose component is not registered is dropped without a
 * word, as the 序时进度 line on every execution chart was.
 */
echarts.use([SVGRenderer])

function draw(panelId: string, data: PanelData): string {
  const panel = dashboards.budget.panels.find((p) => p.id === panelId)!
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 400 })
  chart.setOption(chartOption(panel, data, 1)!)
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
})
