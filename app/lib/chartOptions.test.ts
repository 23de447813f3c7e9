import { describe, expect, it } from 'vitest'
import { dashboards } from '../../dashboards'
import type { Panel } from '../../dashboards/types'
import { chartOption, fitBarName, NO_FIGURE, shiftPastLine, type LabelPlace } from './chartOptions'

const panel = (kind: Panel['kind'], unit: Panel['unit'] = '元'): Panel => ({ ...dashboards.overview.panels[0], kind, unit })
type AnyOption = { series: Array<{ type: string; data: unknown[] }>; textStyle: { fontSize: number; fontFamily: string }; yAxis: { data?: string[] }; legend: { formatter: (name: string) => string } }

describe('chart options', () => {
  it('draws 序时进度 across execution bars and colours the bars far behind it', () => {
    const byRegion = dashboards.budget.panels.find((p) => p.id === 'by-region')!
    const data = {
      kind: 'regions' as const,
      rows: [{ code: 'a', name: '甲', value: 85 }, { code: 'b', name: '乙', value: 70 }, { code: 'c', name: '丙', value: 50 }],
      reference: { label: '序时进度', value: 90 },
    }
    const option = chartOption(byRegion, data, 1) as unknown as {
      series: Array<{ data: Array<{ value: number; itemStyle: { color: unknown } }>; markLine: { data: Array<{ xAxis?: number }> } }>
    }
    const colours = option.series[0].data.map((d) => d.itemStyle.color)
    expect(typeof colours[0]).toBe('object') // on schedule within 10 points: the normal gradient
    expect(colours[1]).toBe('#ffab2e') // 20 points behind: warn
    expect(colours[2]).toBe('#ff4d67') // 40 points behind: critical
    expect(option.series[0].markLine.data[0].xAxis).toBe(90)
  })

  it('stretches an execution chart\'s value axis to 序时进度, so the line is drawn when every bar is far behind it', () => {
    const byDept = dashboards.budget.panels.find((p) => p.id === 'by-dept')!
    const data = { kind: 'series' as const, categories: ['民政', '人社'], series: [{ name: '执行率', values: [50.8, 40] }], reference: { label: '序时进度', value: 100 } }
    const option = chartOption(byDept, data, 1) as unknown as {
      yAxis: { max: (extent: { min: number; max: number }) => number }
      series: Array<{ markLine: { data: Array<{ yAxis?: number }> } }>
    }
    expect(option.series[0].markLine.data[0].yAxis).toBe(100)
    expect(option.yAxis.max({ min: 0, max: 50.8 })).toBe(100)
    expect(option.yAxis.max({ min: 0, max: 130 })).toBe(130)
    // the line's label (序时进度 100.0%, about 90 px) is written past the plot's right end: the margin holds it
    expect((option as unknown as { grid: { right: number } }).grid.right).toBeGreaterThanOrEqual(90)
  })

  it('steps an amount axis by whole yuan, so an empty day does not read 0, 0, 1, 1', () => {
    const byHour = dashboards.overview.panels.find((p) => p.id === 'by-hour')!
    const data = { kind: 'series' as const, categories: ['00时', '01时'], series: [{ name: '金额', values: [0, 0] }] }
    expect((chartOption(byHour, data, 1) as unknown as { yAxis: { minInterval?: number } }).yAxis.minInterval).toBe(1)
  })

  it('draws 上年同期 as a dashed line on the amounts axis, keeping 人次 on its own axis', () => {
    const data = {
      kind: 'series' as const,
      categories: ['2025-01', '2025-02'],
      series: [{ name: '金额', values: [10, 20] }, { name: '人次', values: [1, 2] }, { name: '上年同期金额', values: [8, 18] }],
    }
    const option = chartOption(panel('line'), data, 1) as unknown as { yAxis: unknown[]; series: Array<{ name: string; type: string; yAxisIndex: number; lineStyle?: { type?: string } }> }
    expect(option.yAxis).toHaveLength(2)
    const byName = Object.fromEntries(option.series.map((s) => [s.name, s]))
    expect(byName['人次'].yAxisIndex).toBe(1)
    expect(byName['上年同期金额']).toMatchObject({ type: 'line', yAxisIndex: 0, lineStyle: { type: 'dashed' } })
  })

  it('leaves room above the plot for the unit a vertical value axis writes there (平均整改用时 cut 天 in half)', () => {
    const data = { kind: 'series' as const, categories: ['a', 'b'], series: [{ name: '天', values: [3, 5] }] }
    // 1366 × 768 (text held at 12 px), 1920 × 1080 and 3840 × 2160
    for (const u of [1366 / 1920, 1, 2]) {
      const option = chartOption(panel('bar', '天'), data, u) as unknown as { grid: { top: number }; yAxis: { name: string; nameGap: number; nameTextStyle: { fontSize: number }; axisLabel: { fontSize: number } } }
      expect(option.yAxis.name).toBe('天')
      expect(option.grid.top).toBeGreaterThanOrEqual(option.yAxis.nameGap + option.yAxis.nameTextStyle.fontSize)
      // and the name stays clear of the top tick label (10万 touched 元 at 3840)
      expect(option.yAxis.nameGap).toBeGreaterThanOrEqual(option.yAxis.axisLabel.fontSize / 2 + 2 * u)
    }
  })

  it('marks a chain stage larger than the one before it, with the excess', () => {
    const stages = [
      { name: '指标下达', value: 1000 },
      { name: '用款计划', value: 800 },
      { name: '支付凭证', value: 700 },
      { name: '支付明细', value: 761.8 },
    ]
    const option = chartOption(panel('funnel'), { kind: 'funnel', stages }, 1) as unknown as {
      series: Array<{ data: Array<{ name: string; itemStyle?: { color: string } }>; label: { formatter: (p: { name: string; value: number }) => string } }>
    }
    const marked = option.series[0].data.filter((d) => d.itemStyle).map((d) => d.name)
    expect(marked).toEqual(['支付明细'])
    expect(option.series[0].label.formatter({ name: '支付明细', value: 761.8 })).toContain('超出上一环节 61.8')
    expect(option.series[0].label.formatter({ name: '支付凭证', value: 700 })).not.toContain('超出')
  })

  const amountsAndCounts = { kind: 'series' as const, categories: ['民政', '人社'], series: [{ name: '金额', values: [900, 300] }, { name: '人次', values: [3, 1] }] }

  it('scales fonts with the design pixel and names a real font family', () => {
    const option = chartOption(panel('bar'), amountsAndCounts, 2) as unknown as AnyOption
    expect(option.textStyle.fontSize).toBe(28)
    expect(option.textStyle.fontFamily).not.toBe('inherit')
  })

  it('keeps an amount and a count off one bar axis, but draws both on a line chart', () => {
    expect((chartOption(panel('bar'), amountsAndCounts, 1) as unknown as AnyOption).series).toHaveLength(1)
    expect((chartOption(panel('line'), amountsAndCounts, 1) as unknown as AnyOption).series).toHaveLength(2)
  })

  it('ranks horizontal bars biggest first and drops empty pie slices', () => {
    const regions = { kind: 'regions' as const, rows: [{ code: 'a', name: '甲', value: 1 }, { code: 'b', name: '乙', value: 5 }] }
    expect((chartOption(panel('hbar'), regions, 1) as unknown as AnyOption).yAxis.data).toEqual(['乙', '甲'])
    const pie = chartOption(panel('pie'), { kind: 'series', categories: ['成功', '失败'], series: [{ name: 'n', values: [10, 0] }] }, 1) as unknown as AnyOption
    // 成功 keeps its meaning colour (green) whatever its position in the series palette
    expect(pie.series[0].data).toEqual([{ name: '成功', value: 10, itemStyle: { color: '#3ee08f' } }])
    const plain = chartOption(panel('pie'), { kind: 'series', categories: ['民政', '人社'], series: [{ name: 'n', values: [3, 1] }] }, 1) as unknown as AnyOption
    expect(plain.series[0].data).toEqual([{ name: '民政', value: 3 }, { name: '人社', value: 1 }])
    // shares live in the legend, where small slices stay readable
    expect(plain.legend.formatter('人社')).toBe('人社  25.0%')
  })

  it('draws a region without a figure as an empty grey bar after the others, labelled with why', () => {
    const execution = {
      kind: 'regions' as const,
      rows: [{ code: 'w', name: '威远县', value: 0, note: '无下达指标' }, { code: 'a', name: '甲', value: 0 }, { code: 'b', name: '乙', value: 42.5 }],
      reference: { label: '序时进度', value: 90 },
    }
    const percent: Panel = { ...panel('hbar', '%'), thresholds: [{ behind: 20, level: 'critical' }] }
    const option = chartOption(percent, execution, 1) as unknown as AnyOption
    expect(option.yAxis.data).toEqual(['乙', '甲', '威远县'])
    const bars = option.series[0] as unknown as { data: Array<{ itemStyle: { color: unknown } }>; label: { formatter: (p: { dataIndex: number }) => string } }
    const labels = bars.data.map((_, dataIndex) => bars.label.formatter({ dataIndex }))
    expect(labels).toEqual(['42.5%', '0.0%', '无下达指标'])
    // the tooltip says the same
    const tooltip = (option as unknown as { tooltip: { valueFormatter: (v: number, dataIndex: number) => string } }).tooltip
    expect([42.5, 0, 0].map((v, i) => tooltip.valueFormatter(v, i))).toEqual(['42.5%', '0.0%', '无下达指标'])
    // 甲 at 0 % is far below 序时进度 and coloured so; 威远县 has no rate to be below anything
    expect(bars.data[1].itemStyle.color).not.toBe(bars.data[2].itemStyle.color)
    expect(bars.data[2].itemStyle.color).toBe('#8ea6c8')
    // 序时进度's label at the line's top end, in the margin kept for it (at the bottom end the
    // panel's edge cut it off)
    expect((bars as unknown as { markLine: { label: { position: string } } }).markLine.label.position).toBe('start')
  })

  it('moves a value label that would cross 序时进度 past the line, and leaves the others', () => {
    const execution = {
      kind: 'regions' as const,
      rows: [{ code: 'a', name: '甲', value: 97.4 }, { code: 'b', name: '乙', value: 50 }, { code: 'c', name: '丙', value: 104 }],
      reference: { label: '序时进度', value: 100 },
    }
    const option = chartOption({ ...panel('hbar', '%') }, execution, 1) as unknown as AnyOption
    const bars = option.series[0] as unknown as { label: { distance: number }; labelLayout: (p: LabelPlace) => { dx: number } }
    // a plot from x 100 at 4 px per percent: 序时进度 100 % is at x 500
    const place = (dataIndex: number, value: number) => ({ dataIndex, rect: { x: 100, width: 4 * value }, labelRect: { width: 40 } })
    const startOf = (value: number) => 100 + 4 * value + bars.label.distance
    // 丙 104 %, 甲 97.4 %, 乙 50 % (ranked)
    const [over, near, far] = [place(0, 104), place(1, 97.4), place(2, 50)]
    const nearLabel = startOf(97.4) + bars.labelLayout(near).dx
    expect(nearLabel).toBeGreaterThan(500)
    expect(nearLabel).toBeLessThan(510)
    expect(bars.labelLayout(far).dx).toBe(0)
    expect(bars.labelLayout(over).dx).toBe(0)
    // laid out again (an update, a resize), the label lands in the same place: ECharts hands over
    // the label as it stands, already moved, and the shift must not be taken off or added twice
    expect(bars.labelLayout({ ...near, labelRect: { width: 40, x: nearLabel } } as LabelPlace).dx).toBe(bars.labelLayout(near).dx)
    // the shift holds at any scale: the line's place follows from the bar's own length
    const wide = { dataIndex: 0, rect: { x: 200, width: 8 * 97.4 }, labelRect: { width: 80 } }
    expect(200 + 8 * 97.4 + 10 + shiftPastLine(97.4, 100, wide, 10, 8)).toBeCloseTo(200 + 800 + 8, 6)
    // nothing to measure against on an empty bar
    expect(shiftPastLine(0, 100, { dataIndex: 0, rect: { x: 100, width: 0 }, labelRect: { width: 40 } }, 5, 4)).toBe(0)
    // a chart without a reference has no layout hook at all
    const plain = chartOption(panel('hbar', '%'), { kind: 'regions', rows: execution.rows }, 1) as unknown as AnyOption
    expect((plain.series[0] as unknown as { labelLayout?: unknown }).labelLayout).toBeUndefined()
  })

  it('draws a category without a figure as a gap, with — in its tooltip, not 0', () => {
    const days = dashboards.rectification.panels.find((p) => p.id === 'time-to-close')!
    const data = { kind: 'series' as const, categories: ['26年10月', '26年11月', '26年12月'], series: [{ name: '平均用时', values: [0, 2.5, 0], gaps: [0, 2] }] }
    const option = chartOption(days, data, 1) as unknown as AnyOption & { tooltip: { valueFormatter: (v: unknown) => string } }
    expect(option.series[0].data).toEqual([null, 2.5, null])
    expect([null, undefined, '-'].map((v) => option.tooltip.valueFormatter(v))).toEqual([NO_FIGURE, NO_FIGURE, NO_FIGURE])
    expect(option.tooltip.valueFormatter(2.5)).toBe('2.5天')
    // against 序时进度 too: a department with nothing issued has no bar, never a red 0 %
    const byDept = dashboards.budget.panels.find((p) => p.id === 'by-dept')!
    const rates = { kind: 'series' as const, categories: ['卫健', '教育'], series: [{ name: '执行率', values: [0, 0], gaps: [0] }], reference: { label: '序时进度', value: 50 } }
    const execution = chartOption(byDept, rates, 1) as unknown as AnyOption
    expect(execution.series[0].data[0]).toBeNull()
    expect(execution.series[0].data[1]).toMatchObject({ value: 0, itemStyle: { color: expect.any(String) } })
    // a real 0 (nothing paid in an hour) is still 0
    const hours = chartOption(panel('bar'), { kind: 'series', categories: ['00时', '01时'], series: [{ name: '金额', values: [0, 5] }] }, 1) as unknown as AnyOption
    expect(hours.series[0].data).toEqual([0, 5])
  })

  it('keeps a gap on its own category when a long ranking is cut to its biggest rows', () => {
    const names = Array.from({ length: 20 }, (_, i) => `规则${i}`)
    // 规则19 has the largest figure and a gap in the second series; 规则0 is dropped
    const data = { kind: 'series' as const, categories: names, series: [{ name: '未处置', values: names.map((_, i) => i) }, { name: '累计', values: names.map(() => 30), gaps: [0, 19] }] }
    const option = chartOption(panel('hbar', '条'), data, 1) as unknown as AnyOption
    expect(option.yAxis.data).toHaveLength(12)
    const kept = option.series[1].data as Array<number | null>
    expect(kept.filter((v) => v === null)).toHaveLength(1)
    expect(kept[option.yAxis.data!.indexOf('规则19')]).toBeNull()
  })

  it('keeps the 12 biggest rows of a grouped horizontal ranking, in their order', () => {
    const names = Array.from({ length: 20 }, (_, i) => `规则${i}`)
    const rules = { kind: 'series' as const, categories: names, series: [{ name: '未处置', values: names.map((_, i) => (i * 7) % 20) }, { name: '累计', values: names.map(() => 30) }] }
    const option = chartOption(panel('hbar', '条'), rules, 1) as unknown as AnyOption
    expect(option.yAxis.data).toHaveLength(12)
    expect(option.yAxis.data).toContain('规则17') // (17 × 7) % 20 = 19, the largest
    expect(option.yAxis.data).not.toContain('规则0')
  })

  it('cuts long bar names at 40 % of a narrow chart, so the bars keep the rest', () => {
    const names = ['义务教育家庭经济困难学生生活补助', '城乡居民基础养老金']
    const ranked = { kind: 'regions' as const, rows: names.map((name, i) => ({ code: String(i), name, value: 10 - i })) }
    const grouped = { kind: 'series' as const, categories: names, series: [{ name: '支付', values: [5, 3] }, { name: '下达', values: [6, 4] }] }
    for (const data of [ranked, grouped]) {
      // 320 px: 128 px for names, 9 characters of 12 px with the …
      const narrow = chartOption(panel('hbar'), data, 0.71, 15, 320) as unknown as AnyOption
      expect(narrow.yAxis.data).toEqual(['义务教育家庭经济困…', '城乡居民基础养老金'])
      // not measured yet (or an export without a box): names whole, as before
      expect((chartOption(panel('hbar'), data, 1) as unknown as AnyOption).yAxis.data).toEqual(names)
    }
    // never under four characters, however narrow
    expect(fitBarName('义务教育家庭经济困难学生生活补助', 40, 12)).toBe('义务教…')
    // vertical bars keep their category labels whole
    const vertical = chartOption(panel('bar'), grouped, 1, 15, 320) as unknown as { xAxis: { data: string[] } }
    expect(vertical.xAxis.data).toEqual(names)
  })

  it('draws a population pyramid with men to the left', () => {
    const ages = { kind: 'series' as const, categories: ['60-69岁'], series: [{ name: '男', values: [4] }, { name: '女', values: [6] }] }
    const option = chartOption(panel('hbar', '人次'), ages, 1) as unknown as AnyOption
    expect(option.series.map((s) => s.data)).toEqual([[-4], [6]])
  })
})

describe('chart text on small walls', () => {
  it('never goes under 12 px, even at 1366×768 (one design pixel = 0.71 px)', async () => {
    const { dashboards } = await import('../../dashboards')
    const { chartOption, MIN_TEXT_PX } = await import('./chartOptions')
    const sizes: number[] = []
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk)
      else if (value && typeof value === 'object')
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'fontSize' && typeof inner === 'number') sizes.push(inner)
          else walk(inner)
        }
    }
    const samples = {
      series: { kind: 'series' as const, categories: ['202401', '202402'], series: [{ name: '金额', values: [1, 2] }, { name: '人次', values: [3, 4] }] },
      regions: { kind: 'regions' as const, rows: [{ code: '511025', name: '资中县', value: 5 }] },
      value: { kind: 'value' as const, value: 50, compare: { label: '序时进度', value: 60 } },
      funnel: { kind: 'funnel' as const, stages: [{ name: '分配', value: 10 }, { name: '下达', value: 8 }] },
    }
    for (const dashboard of Object.values(dashboards))
      for (const panel of dashboard.panels) for (const data of Object.values(samples)) walk(chartOption(panel, data, 1366 / 1920))
    expect(sizes.length).toBeGreaterThan(20)
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(MIN_TEXT_PX)
  })
})
