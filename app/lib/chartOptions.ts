import type { EChartsOption } from 'echarts'
import { figuresOf, seriesOfFigures, type Panel, type PanelData, type Reference, type RegionRow } from '../../dashboards/types'
import { columnFormatter, formatAxis, formatPeriod, formatValueText } from './format'
import { palette } from './palette'
import { levelOf } from './thresholds'

/**
 * PanelData → ECharts option, sized for the wall. `u` is screen pixels per design pixel, so a
 * 14 px label stays 14 design pixels at any resolution (ECharts draws at the real resolution).
 * Series carry ids so `setOption` merges in place: ticks move bars, they do not redraw from zero.
 */
export function chartOption(panel: Panel, data: PanelData, u: number, maxRows = 15, boxWidth?: number): EChartsOption | null {
  switch (data.kind) {
    case 'series': {
      if (panel.kind === 'pie') return pieOption(panel, data.series[0]?.values.map((value, i) => ({ name: data.categories[i], value })) ?? [], u)
      if (panel.kind === 'hbar' && isPyramid(data)) return pyramidOption(panel, data, u)
      const shown = panel.kind === 'line' ? data : sameUnitSeries(data, panel.unit)
      if (panel.kind === 'hbar' && shown.series.length === 1)
        return rankedBarsOption(panel, shown.categories.map((name, i) => ({ code: '', name, value: shown.series[0].values[i] ?? 0 })), u, maxRows, data.reference, boxWidth)
      // grouped horizontal bars are a ranking too: the top rows that a wall panel can print
      // (12: two bars a row need more height than one; 23 rules printed every other name)
      const groupedRows = Math.min(maxRows, 12)
      if (panel.kind === 'hbar' && shown.categories.length > groupedRows) return cartesianOption(panel, topRows(shown, groupedRows), u, boxWidth)
      return cartesianOption(panel, shown, u, boxWidth)
    }
    case 'regions': {
      // rows without a figure of their own (a note says why) after every figure, 0 included
      const rows = [...data.rows].sort((a, b) => Number(a.note !== undefined) - Number(b.note !== undefined) || b.value - a.value)
      if (panel.kind === 'pie') return pieOption(panel, rows.map((r) => ({ name: r.name, value: r.value })), u)
      if (panel.kind === 'treemap') return treemapOption(panel, rows, u)
      return rankedBarsOption(panel, rows, u, maxRows, data.reference, boxWidth)
    }
    case 'funnel':
      return funnelOption(panel, data.stages, u)
    case 'value':
      return panel.kind === 'gauge' ? gaugeOption(panel, data, u) : null
    default:
      return null
  }
}

/** Chart text scales with the wall but never goes under 12 px (a 1366×768 wall would give 9 px). */
export const MIN_TEXT_PX = 12
export const textPx = (designPx: number, u: number): number => Math.max(MIN_TEXT_PX, designPx * u)

/** Rendered width of a label: CJK characters a full em, digits and punctuation about 0.6 em. */
function textWidth(text: string, px: number): number {
  let em = 0
  for (const ch of text) em += /[\u0000-\u00ff]/.test(ch) ? 0.6 : 1
  return em * px
}

const base = (u: number): EChartsOption => ({
  backgroundColor: 'transparent',
  // a canvas font needs a real family name ('inherit' would void the whole font and fall back to 10px)
  textStyle: { color: palette.text, fontSize: textPx(14, u), fontFamily: palette.font },
  animationDuration: 600,
  // in-place updates glide briefly instead of replaying the entrance animation
  animationDurationUpdate: 400,
  tooltip: { trigger: 'item', confine: true, textStyle: { fontSize: textPx(14, u) }, backgroundColor: '#0d2246ee', borderColor: palette.border },
})

/**
 * Names beside horizontal bars take at most this share of the chart's width, cut with … (the
 * tooltip names them whole): on a narrow panel (/review at 1366×768) long project names such as
 * 义务教育家庭经济困难学生生活补助 left the bars a few pixels and piled the value axis labels up.
 */
export const BAR_NAME_SHARE = 0.4

/**
 * `name` cut with … to fit that share of the chart (never under four characters), measured
 * here rather than by ECharts' label width: on /review that width, merged into a live chart,
 * cut every name down to a bare ….
 */
export function fitBarName(name: string, boxWidth: number | undefined, fontPx: number): string {
  if (!boxWidth) return name
  const room = Math.max(4 * fontPx, boxWidth * BAR_NAME_SHARE)
  if (textWidth(name, fontPx) <= room) return name
  let cut = name
  while (cut.length > 1 && textWidth(cut + '…', fontPx) > room) cut = cut.slice(0, -1)
  return cut + '…'
}

function axisLabel(u: number) {
  return { color: palette.muted, fontSize: textPx(13, u) }
}

/** '202407' or '2024-07' → '24年7月' (short enough for a 24-month axis); other labels unchanged. */
function categoryLabel(category: string): string {
  const month = /^(\d{4})-?(\d{2})$/.exec(category)
  return month ? `${month[1].slice(2)}年${Number(month[2])}月` : formatPeriod(category)
}

/**
 * Bars share one axis: a count series beside an amount series (人次 beside 金额) would be a flat
 * line at zero, so bars keep the first series unless all series count the same thing.
 */
function sameUnitSeries(data: Extract<PanelData, { kind: 'series' }>, unit?: string): Extract<PanelData, { kind: 'series' }> {
  // A percent panel plots rates only: amounts sent beside them (下达, 支付) would dwarf the axis.
  if (unit === '%') {
    const rates = data.series.filter((s) => /率|%/.test(s.name))
    if (rates.length > 0 && rates.length < data.series.length) return { ...data, series: rates }
  }
  const countLike = /人次|笔|人数|次数|户数|count/i
  const [first, ...rest] = data.series
  if (!first || rest.length === 0) return data
  const mixed = rest.some((s) => countLike.test(s.name) !== countLike.test(first.name))
  return mixed ? { ...data, series: [first] } : data
}

/** The `n` categories with the largest first series, in their original order. */
function topRows(data: Extract<PanelData, { kind: 'series' }>, n: number): Extract<PanelData, { kind: 'series' }> {
  const first = data.series[0]?.values ?? []
  const keep = new Set(data.categories.map((_, i) => i).sort((a, b) => (first[b] ?? 0) - (first[a] ?? 0)).slice(0, n))
  const pick = <T,>(list: T[]) => list.filter((_, i) => keep.has(i))
  // picked as figures, so a gap stays on its own category
  return { ...data, categories: pick(data.categories), series: data.series.map((s) => seriesOfFigures(s.name, pick(figuresOf(s)))) }
}

function cartesianOption(panel: Panel, data: Extract<PanelData, { kind: 'series' }>, u: number, boxWidth?: number): EChartsOption {
  const horizontal = panel.kind === 'hbar'
  // 上年同期 series are compared with the first series: same axis, dashed
  const isLastYear = (name: string) => name.startsWith('上年同期')
  const [, ...rest] = data.series.filter((s) => !isLastYear(s.name))
  // a second series of another nature (e.g. 人次 beside 金额) goes on its own axis
  const dualAxis = !horizontal && rest.length === 1 && panel.kind === 'line'
  const categoryAxis = {
    type: 'category' as const,
    data: data.categories.map((c) => (horizontal ? fitBarName(categoryLabel(c), boxWidth, textPx(13, u)) : categoryLabel(c))),
    // names (departments, approval nodes) are all shown, up to what fits a wall panel; long runs
    // such as 24 months thin themselves out
    axisLabel: { ...axisLabel(u), hideOverlap: true, ...(data.categories.length <= 16 ? { interval: 0 } : {}) },
    axisLine: { lineStyle: { color: palette.axis } },
    axisTick: { show: false },
    inverse: horizontal,
  }
  const reference = data.reference
  const unitNameGap = textPx(13, u) / 2 + 5 * u
  // the top margin holds the unit's name whole above that gap, at every wall size
  const unitNameRoom = unitNameGap + textPx(12, u) + u
  const valueAxis = (position?: 'left' | 'right', unit = panel.unit) => ({
    type: 'value' as const,
    position,
    // ticks are labelled in whole units (formatAxis): an axis of counts or yuan stepping by 0.2
    // (an empty day) would read 0, 0, 1, 1; only rates keep fractions
    minInterval: unit === '%' ? undefined : 1,
    // every value axis names its unit (元 / 人次 / %): a bare 3万 could be money or people
    // (the right axis is named by the legend above it, where its name would sit)
    name: position === 'right' ? undefined : unit,
    nameTextStyle: { color: palette.muted, fontSize: textPx(12, u), align: position === 'right' ? ('left' as const) : ('right' as const) },
    // clear of the top tick label, which is centred on the axis end: half its line, then a gap
    // (6 px from the axis end left 10万 touching 元 on a 3840 wall)
    nameGap: unitNameGap,
    // a narrow plot drops a tick label rather than print 5万10万 on top of each other
    axisLabel: { ...axisLabel(u), hideOverlap: true, formatter: (v: number) => formatAxis(v, unit) },
    splitLine: { lineStyle: { color: palette.grid, type: 'dashed' as const }, show: position !== 'right' },
    // the axis reaches the reference (序时进度 100 % once the year is over): ECharts leaves a
    // mark line beyond the bars' extent undrawn, and bars far behind it would stand alone
    ...(reference && position !== 'right' ? { max: (extent: { max: number }) => Math.max(extent.max, reference.value) } : {}),
  })
  const seriesList = data.series.map((s, i) => {
    const lastYear = isLastYear(s.name)
    const onRight = dualAxis && i === 1 && !lastYear
    const asLine = (panel.kind === 'line' && !onRight) || lastYear
    // bars read against a reference (序时进度) take the warning colour when far behind it
    const againstReference = !asLine && i === 0 && data.reference
    return {
      id: s.name,
      name: s.name,
      type: asLine ? ('line' as const) : ('bar' as const),
      // a gap is null: ECharts leaves no bar and breaks the line there
      data: againstReference
        ? figuresOf(s).map((value) => {
            const level = value === null ? undefined : levelOf(panel.thresholds, value, data.reference!.value)
            return level ? { value, itemStyle: { color: level === 'critical' ? palette.critical : palette.warn } } : value
          })
        : figuresOf(s),
      ...(againstReference ? referenceLine(data.reference, panel, u) : {}),
      yAxisIndex: onRight ? 1 : 0,
      smooth: asLine,
      showSymbol: false,
      barMaxWidth: 26 * u,
      lineStyle: asLine ? { width: (lastYear ? 2 : 3) * u, ...(lastYear ? { type: 'dashed' as const, color: '#9fb3d1' } : {}) } : undefined,
      areaStyle: asLine && i === 0 && !lastYear ? { color: { type: 'linear' as const, x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: '#37d4ff55' }, { offset: 1, color: '#37d4ff00' }] } } : undefined,
      itemStyle: { color: onRight ? '#ffc94d88' : palette.series[i % palette.series.length], borderRadius: horizontal ? [0, 3 * u, 3 * u, 0] : [3 * u, 3 * u, 0, 0] },
    }
  })
  return {
    ...base(u),
    color: [...palette.series],
    tooltip: { ...base(u).tooltip, trigger: 'axis', valueFormatter: (v) => (isGap(v) ? NO_FIGURE : formatValueText(Number(v), panel.unit)) },
    legend: data.series.length > 1 ? { top: 0, right: 8 * u, textStyle: { color: palette.muted, fontSize: textPx(13, u) }, itemWidth: 14 * u, itemHeight: 8 * u } : { show: false },
    // a vertical value axis writes its unit above the plot: the top margin holds that name whole
    // a reference line writes its label past the plot's end: the margin there holds it whole
    grid: { left: 8 * u, right: reference && !horizontal ? Math.max(12 * u, referenceLabelWidth(reference, panel, u)) : 12 * u, top: horizontal ? (data.series.length > 1 ? 30 : reference ? 24 : 14) * u : Math.max((data.series.length > 1 ? 30 : 24) * u, unitNameRoom), bottom: 6 * u, containLabel: true },
    xAxis: horizontal ? valueAxis() : categoryAxis,
    yAxis: horizontal ? categoryAxis : dualAxis ? [valueAxis('left'), valueAxis('right', '人次')] : valueAxis(),
    series: seriesList,
  } as EChartsOption
}

/** What a category without a figure shows where a figure would be (tooltip, exported text). */
export const NO_FIGURE = '—'

/** ECharts hands a tooltip the empty value of a gap as null, undefined or '-'. */
function isGap(value: unknown): boolean {
  return value === null || value === undefined || value === '-'
}

function isPyramid(data: Extract<PanelData, { kind: 'series' }>): boolean {
  const names = data.series.map((s) => s.name)
  return names.length === 2 && names.includes('男') && names.includes('女')
}

/** Population pyramid: men to the left, women to the right, youngest band at the bottom. */
function pyramidOption(panel: Panel, data: Extract<PanelData, { kind: 'series' }>, u: number): EChartsOption {
  const men = data.series.find((s) => s.name === '男')!
  const women = data.series.find((s) => s.name === '女')!
  return {
    ...base(u),
    tooltip: { ...base(u).tooltip, trigger: 'axis', valueFormatter: (v) => formatValueText(Math.abs(Number(v)), panel.unit) },
    legend: { top: 0, right: 8 * u, textStyle: { color: palette.muted, fontSize: textPx(13, u) }, itemWidth: 14 * u, itemHeight: 8 * u },
    grid: { left: 8 * u, right: 14 * u, top: 28 * u, bottom: 4 * u, containLabel: true },
    xAxis: { type: 'value', axisLabel: { ...axisLabel(u), formatter: (v: number) => formatAxis(Math.abs(v), panel.unit) }, splitLine: { lineStyle: { color: palette.grid, type: 'dashed' } } },
    yAxis: { type: 'category', data: data.categories, axisLabel: axisLabel(u), axisTick: { show: false }, axisLine: { lineStyle: { color: palette.axis } } },
    series: [
      { id: '男', name: '男', type: 'bar', stack: 'p', data: men.values.map((v) => -v), itemStyle: { color: '#37a6ff' }, barCategoryGap: '20%' },
      { id: '女', name: '女', type: 'bar', stack: 'p', data: women.values, itemStyle: { color: '#ff7eb6' } },
    ],
  }
}

/** Ranked horizontal bars, biggest on top, coloured by the panel's thresholds. */
function rankedBarsOption(panel: Panel, rows: Array<Pick<RegionRow, 'code' | 'name' | 'value' | 'note'>>, u: number, maxRows: number, reference?: Reference, boxWidth?: number): EChartsOption {
  const shown = rows.slice(0, maxRows)
  const inColumnUnit = columnFormatter(shown.filter((r) => r.note === undefined).map((r) => r.value), panel.unit)
  // A row with a note has no figure: its bar stays empty and its label is the note, not 0.
  const labelOf = (r: (typeof shown)[number]) => r.note ?? inColumnUnit(r.value)
  // room on the right for the longest value label, so '107.36万元' is never cut by the canvas edge
  const labelRoom = Math.max(70 * u, ...shown.map((r) => textWidth(labelOf(r), textPx(13, u)) + 10 * u))
  return {
    ...base(u),
    tooltip: { ...base(u).tooltip, valueFormatter: (v, dataIndex) => shown[dataIndex]?.note ?? formatValueText(Number(v), panel.unit) },
    // the reference line's label sits above its top end
    grid: { left: 8 * u, right: labelRoom, top: (reference ? 24 : 8) * u, bottom: 4 * u, containLabel: true },
    xAxis: { type: 'value', show: false, max: panel.unit === '%' ? (v: { max: number }) => Math.max(100, v.max) : undefined },
    yAxis: { type: 'category', inverse: true, data: shown.map((r) => fitBarName(r.name, boxWidth, textPx(14, u))), axisLabel: { ...axisLabel(u), color: palette.text, fontSize: textPx(14, u) }, axisTick: { show: false }, axisLine: { show: false } },
    series: [
      {
        id: 'value',
        type: 'bar',
        data: shown.map((r) => ({ value: r.value, code: r.code, itemStyle: { color: r.note === undefined ? levelColor(panel, r.value, reference?.value) : palette.muted } })),
        // rows run top to bottom (an inverse axis), so the line starts at the top: its label goes there
        ...referenceLine(reference, panel, u, 'start'),
        barMaxWidth: 18 * u,
        showBackground: true,
        backgroundStyle: { color: '#ffffff0a' },
        itemStyle: { borderRadius: [0, 4 * u, 4 * u, 0] },
        label: { show: true, position: 'right', distance: 5 * u, color: palette.text, fontSize: textPx(13, u), formatter: (p: { dataIndex: number }) => labelOf(shown[p.dataIndex]) },
        ...(reference ? { labelLayout: (p: LabelPlace) => ({ dx: shiftPastLine(shown[p.dataIndex]?.value ?? 0, reference.value, p, 5 * u, 4 * u) }) } : {}),
      },
    ],
  } as EChartsOption
}

/** Where ECharts put a bar and its value label, in pixels (its labelLayout callback's argument). */
export interface LabelPlace {
  dataIndex: number
  rect: { x: number; width: number }
  /** the label as it stands: only its width is read (its x already holds any earlier shift) */
  labelRect: { width: number }
}

/**
 * How far to move a bar's value label right so it does not cross the reference line: a bar just
 * short of 序时进度 (97.4 % against 100 %) would have its label written across the dashed line.
 * The line's pixel position follows from the bar itself (its length is proportional to its value),
 * so this holds at any wall size. The label's own place is taken from the bar's end and the label's
 * distance, never from where the label is now: ECharts lays labels out again on every update and
 * resize, with the previous shift already in the label's rect. The margin right of the plot
 * already holds the widest label.
 */
export function shiftPastLine(value: number, reference: number, place: LabelPlace, distance: number, gap: number): number {
  if (!(value > 0) || value >= reference) return 0
  const lineX = place.rect.x + place.rect.width * (reference / value)
  const start = place.rect.x + place.rect.width + distance
  if (start + place.labelRect.width + gap <= lineX) return 0
  return lineX + gap - start
}

function referenceLabel(reference: Reference, panel: Panel): string {
  return `${reference.label} ${formatValueText(reference.value, panel.unit)}`
}

function referenceLabelWidth(reference: Reference, panel: Panel, u: number): number {
  return textWidth(referenceLabel(reference, panel), textPx(12, u)) + 10 * u
}

/** The reference (序时进度) as a gold line across the bars, labelled with its value. */
function referenceLine(reference: Reference | undefined, panel: Panel, u: number, labelAt: 'start' | 'end' = 'end') {
  if (!reference) return {}
  return {
    markLine: {
      symbol: 'none',
      silent: true,
      data: [{ xAxis: panel.kind === 'hbar' ? reference.value : undefined, yAxis: panel.kind === 'hbar' ? undefined : reference.value, name: reference.label }],
      lineStyle: { color: '#ffd37a', type: 'dashed' as const, width: 2 * u },
      label: { position: labelAt, color: '#ffd37a', fontSize: textPx(12, u), formatter: referenceLabel(reference, panel) },
    },
  }
}

function levelColor(panel: Panel, value: number, reference?: number): string | { type: 'linear'; x: number; y: number; x2: number; y2: number; colorStops: Array<{ offset: number; color: string }> } {
  const level = levelOf(panel.thresholds, value, reference)
  if (level === 'critical') return palette.critical
  if (level === 'warn') return palette.warn
  return { type: 'linear', x: 0, y: 0, x2: 1, y2: 0, colorStops: [{ offset: 0, color: '#1766a8' }, { offset: 1, color: palette.accent }] }
}

function pieOption(panel: Panel, items: Array<{ name: string; value: number }>, u: number): EChartsOption {
  // zero slices would print '0%' labels on top of each other
  const sorted = items.filter((i) => i.value > 0).sort((a, b) => b.value - a.value)
  // beyond 8 slices a pie is unreadable on a wall: the tail becomes 其他
  const shown = sorted.length > 8 ? [...sorted.slice(0, 7), { name: '其他', value: sorted.slice(7).reduce((s, i) => s + i.value, 0) }] : sorted
  return {
    ...base(u),
    color: [...palette.series],
    tooltip: { ...base(u).tooltip, valueFormatter: (v) => formatValueText(Number(v), panel.unit) },
    // shares are read from the legend; the ring only labels slices wide enough to hold the text
    legend: {
      type: 'scroll', orient: 'vertical', right: 4 * u, top: 'middle', itemWidth: 12 * u, itemHeight: 12 * u, itemGap: 8 * u, pageTextStyle: { color: palette.muted },
      formatter: (name: string) => `${name}  ${shareText(shown, name)}`,
      textStyle: { color: palette.text, fontSize: textPx(13, u) },
    },
    series: [
      {
        id: 'pie',
        type: 'pie',
        // radii are shares of the shorter side: this keeps the ring inside narrow and tall boxes
        radius: ['36%', '58%'],
        center: ['31%', '52%'],
        data: shown.map((item) => (palette.named[item.name] ? { ...item, itemStyle: { color: palette.named[item.name] } } : item)),
        // slices under 10% keep their colour but not a label that would spill over the ring
        label: { show: true, position: 'inside', formatter: (p: { percent?: number }) => ((p.percent ?? 0) >= 10 ? `${(p.percent ?? 0).toFixed(0)}%` : ''), color: '#04101f', fontSize: textPx(12, u), fontWeight: 'bold' },
        labelLine: { show: false },
        itemStyle: { borderColor: palette.panel, borderWidth: 2 * u },
      },
    ],
  }
}

function shareText(items: Array<{ name: string; value: number }>, name: string): string {
  const total = items.reduce((sum, item) => sum + item.value, 0)
  const item = items.find((i) => i.name === name)
  return item && total > 0 ? `${((item.value / total) * 100).toFixed(1)}%` : ''
}

function treemapOption(panel: Panel, rows: Array<{ code: string; name: string; value: number }>, u: number): EChartsOption {
  return {
    ...base(u),
    tooltip: { ...base(u).tooltip, valueFormatter: (v) => formatValueText(Number(v), panel.unit) },
    series: [
      {
        id: 'treemap',
        type: 'treemap',
        roam: false,
        nodeClick: false,
        breadcrumb: { show: false },
        width: '100%',
        height: '100%',
        label: { fontSize: textPx(14, u), formatter: (p: { name: string; value: unknown }) => `${p.name}\n${formatValueText(Number(p.value), panel.unit)}` },
        itemStyle: { borderColor: palette.ground, borderWidth: 2 * u, gapWidth: 2 * u },
        levels: [{ color: [...palette.ramp].reverse() as string[], colorMappingBy: 'index' }],
        data: rows.map((r) => ({ name: r.name, value: r.value, code: r.code })),
      },
    ],
  } as EChartsOption
}

/**
 * A stage holding more than the one before it (明细 > 凭证, 凭证 > 计划) is a break in the chain:
 * money that no earlier stage authorised. It is drawn in the alarm colour with the excess.
 */
export function chainBreaks(stages: Array<{ name: string; value: number }>): Map<string, number> {
  const breaks = new Map<string, number>()
  for (let i = 1; i < stages.length; i++)
    if (stages[i].value > stages[i - 1].value + 0.005) breaks.set(stages[i].name, Math.round((stages[i].value - stages[i - 1].value) * 100) / 100)
  return breaks
}

function funnelOption(panel: Panel, stages: Array<{ name: string; value: number }>, u: number): EChartsOption {
  const first = stages[0]?.value || 1
  const breaks = chainBreaks(stages)
  return {
    ...base(u),
    color: ['#37d4ff', '#2fb8f0', '#2a9ce0', '#2580cf', '#2064be', '#1b4aa8'],
    tooltip: { ...base(u).tooltip, valueFormatter: (v) => formatValueText(Number(v), panel.unit) },
    series: [
      {
        id: 'funnel',
        type: 'funnel',
        sort: 'none',
        left: '6%',
        width: '88%',
        top: 6 * u,
        bottom: 6 * u,
        minSize: '28%',
        gap: 3 * u,
        data: stages.map((s) => ({ name: s.name, value: s.value, ...(breaks.has(s.name) ? { itemStyle: { color: palette.critical } } : {}) })),
        label: {
          show: true,
          position: 'inside',
          color: '#ffffff',
          fontSize: textPx(15, u),
          fontWeight: 'bold',
          textBorderColor: '#04101f',
          textBorderWidth: 2 * u,
          formatter: (p: { name: string; value: unknown }) =>
            `${p.name}  ${formatValueText(Number(p.value), panel.unit)}  ${((Number(p.value) / first) * 100).toFixed(1)}%` +
            (breaks.has(p.name) ? `  ⚠ 超出上一环节 ${formatValueText(breaks.get(p.name)!, panel.unit)}` : ''),
        },
        itemStyle: { borderWidth: 0 },
      },
    ],
  } as EChartsOption
}

/** A rate gauge with the comparison (序时进度) drawn as a gold mark on the dial. */
function gaugeOption(panel: Panel, data: Extract<PanelData, { kind: 'value' }>, u: number): EChartsOption {
  const level = levelOf(panel.thresholds, data.value)
  const color = level === 'critical' ? palette.critical : level === 'warn' ? palette.warn : palette.accent
  const common = { type: 'gauge' as const, min: 0, max: 100, startAngle: 210, endAngle: -30, radius: '92%', center: ['50%', '58%'] }
  const series: NonNullable<EChartsOption['series']> = [
    {
      ...common,
      id: 'value',
      progress: { show: true, width: 16 * u, itemStyle: { color } },
      axisLine: { lineStyle: { width: 16 * u, color: [[1, '#16305a']] } },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { show: false },
      pointer: { show: false },
      anchor: { show: false },
      title: { show: false },
      detail: { valueAnimation: true, offsetCenter: [0, '5%'], fontSize: textPx(44, u), fontWeight: 'bold', color: palette.text, formatter: (v: number) => `${v.toFixed(1)}%` },
      data: [{ value: Number(data.value.toFixed(2)) }],
    },
  ]
  if (data.compare) {
    series.push({
      ...common,
      id: 'compare',
      axisLine: { show: false },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { show: false },
      progress: { show: false },
      pointer: { show: true, icon: 'rect', length: 24 * u, width: 5 * u, offsetCenter: [0, '-78%'], itemStyle: { color: palette.gold } },
      anchor: { show: false },
      title: { show: true, offsetCenter: [0, '42%'], color: palette.gold, fontSize: textPx(15, u) },
      detail: { show: true, offsetCenter: [0, '62%'], color: palette.gold, fontSize: textPx(18, u), formatter: (v: number) => `${v.toFixed(1)}%` },
      data: [{ value: Number(data.compare.value.toFixed(2)), name: data.compare.label }],
    })
  }
  return { ...base(u), tooltip: { show: false }, series }
}
