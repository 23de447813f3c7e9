'use client'

import { useMemo, useRef } from 'react'
import { CITY_CODE, countyOf, getRegion } from '../../geo/regions'
import { figuresOf, panelPeriodLabel, periods, reviewFilterTitles, type FlagEvent, type Panel, type PanelData, type ReviewFilterKind } from '../../dashboards/types'
import { definitionOf } from '../../dashboards/definitions'
import { chartOption, NO_FIGURE } from '../lib/chartOptions'
import { panelCsv } from '../lib/csv'
import { downloadText, downloadUrl, framedPng, svgToPng } from '../lib/download'
import { exportFileName, exportHeader, type ExportContext } from '../lib/exportMeta'
import { formatShortDateTime, formatValueText } from '../lib/format'
import { cellText } from './DataTable'
import { EChart, type ChartHandle } from './EChart'
import { KpiValue } from './KpiValue'
import { RegionMap } from './RegionMap'
import { ScrollingTable } from './ScrollingTable'
import { Ticker } from './Ticker'
import { useBoxWidth } from './useBoxWidth'

export interface PanelViewProps {
  panel: Panel
  /** the panel's cell when the screen arranges it otherwise (portrait); default panel.grid */
  grid?: Panel['grid']
  data: PanelData | undefined
  /** room region (the map highlights it below city level) */
  region: string
  asOf: string | null
  stale: boolean
  /** design pixel in screen pixels */
  u: number
  flags: Array<FlagEvent & { receivedAt: number }>
  /** the flag of a critical-flag detour (ticker pins it, map pulses its place) */
  pinned?: FlagEvent | null
  /** client time the panel's data was last replaced (the ticker shows live flags newer than it) */
  since: number
  onSelectRegion?: (code: string) => void
  exportable?: boolean
  /** Active review filters (the period label follows the year when the panel does). */
  activeFilters?: Partial<Record<ReviewFilterKind, string>>
  /** Active review filters this panel does not follow: it says so and greys out. */
  notFollowed?: ReviewFilterKind[]
  /** Active review filters the shown figures are filtered by (review page, once the filtered answer is in). */
  filteredBy?: ReviewFilterKind[]
  /** theme, region, filters and period every export states (review page) */
  exportContext?: ExportContext
}

/**
 * One panel: title, body chosen by kind and data, and the 数据截至 footer. A stale panel greys
 * out; the wall never shows old numbers as if they were current.
 */
export function PanelView(props: PanelViewProps) {
  const { panel, data, stale, asOf, exportable, notFollowed = [], filteredBy = [] } = props
  const period = panelPeriodLabel(panel, props.activeFilters)
  const grid = props.grid ?? panel.grid
  const chart = useRef<ChartHandle | null>(null)
  const svg = useRef<SVGSVGElement | null>(null)
  // charts cap their bar names at a share of this width, so a narrow panel keeps room for its bars
  const [bodyRef, bodyWidth] = useBoxWidth<HTMLDivElement>()

  // every export states this panel's own period (累计, 本预算年度, 2024年 …), not the page's
  const context = { ...(props.exportContext ?? { theme: '', region: props.region, filters: '无', period: '—' }), period }
  const exportPng = async () => {
    if (!data) return
    const header = exportHeader(context, panel.title, panel.unit, asOf)
    const body = chart.current ? { imageUrl: chart.current.getDataURL() } : svg.current ? { imageUrl: await svgToPng(svg.current) } : { lines: textLines(panel, data) }
    downloadUrl(await framedPng(header, body), exportFileName(context, panel.title, 'png'))
  }

  return (
    <section
      className={`panel kind-${panel.kind}${stale ? ' stale' : ''}${notFollowed.length ? ' unfiltered' : ''}`}
      data-panel={panel.id}
      data-state={data ? 'ready' : 'waiting'}
      data-stale={stale ? 'true' : 'false'}
      data-period={period}
      data-not-followed={notFollowed.join(',') || undefined}
      data-filtered={filteredBy.join(',') || undefined}
      data-u={props.u}
      style={{ gridColumn: `${grid.x + 1} / span ${grid.w}`, gridRow: `${grid.y + 1} / span ${grid.h}` }}
    >
      <header className="panel-title">
        <span title={definitionOf(panel.metric) ? `口径：${definitionOf(panel.metric)}` : undefined} data-definition={definitionOf(panel.metric)}>{panel.title}</span>
        {notFollowed.length > 0 && (
          <span className="unfiltered-tag" title={`此面板不随${notFollowed.map((kind) => reviewFilterTitles[kind]).join('、')}筛选，显示的是未按其筛选的数字`}>
            {/* one filter is named; several would push a small panel's title out: the tooltip lists them */}
            {notFollowed.length === 1 ? `不随${reviewFilterTitles[notFollowed[0]]}筛选` : '不随筛选'}
          </span>
        )}
        {exportable && data && (
          <span className="panel-tools">
            <button type="button" onClick={() => void exportPng()}>PNG</button>
            <button type="button" onClick={() => downloadText(panelCsv(panel, data, { context, asOf }), exportFileName(context, panel.title, 'csv'))}>CSV</button>
          </span>
        )}
      </header>
      <div className="panel-body" ref={bodyRef}>{data ? <PanelBody {...props} data={data} bodyWidth={bodyWidth} chartRef={chart} svgRef={svg} /> : <div className="empty">等待数据…</div>}</div>
      <footer className="panel-foot">
        {stale && <span className="stale-tag">已过期</span>}
        {/* a narrow panel drops the date (the title bar has it), never the time */}
        {/* a chosen year stays even on a narrow panel: its title may say 累计 while it shows one year */}
        <span className={`period-tag${period !== periods[panel.period] ? ' period-chosen' : ''}`}>{period} · </span>
        <span className="foot-label">数据截至 </span><span className="foot-date">{footDate(asOf)}</span>{footTime(asOf)}
      </footer>
    </section>
  )
}

function PanelBody({ panel, data, region, u, flags, pinned, since, onSelectRegion, exportable, bodyWidth, chartRef, svgRef }: PanelViewProps & {
  data: PanelData
  bodyWidth: number | null
  chartRef: React.RefObject<ChartHandle | null>
  svgRef: React.RefObject<SVGSVGElement | null>
}) {
  const option = useMemo(() => chartOption(panel, data, u, undefined, bodyWidth ?? undefined), [panel, data, u, bodyWidth])
  const setChart = (h: ChartHandle | null) => {
    chartRef.current = h
  }
  const setSvg = (s: SVGSVGElement | null) => {
    svgRef.current = s
  }

  if (data.kind === 'notApplicable') return <div className="empty not-applicable">{data.reason}</div>
  if (data.kind === 'pending') return <div className="empty pending">{data.reason}</div>
  if (panel.empty && !hasSomething(panel, data)) return <div className="empty nothing">{panel.empty}</div>
  if (data.kind === 'value' && panel.kind !== 'gauge') return <KpiValue panel={panel} data={data} />
  if (data.kind === 'table') {
    if (panel.kind === 'ticker') return <Ticker data={data} liveFlags={flags} since={since} pinned={pinned} flagHref={exportable ? (id, code) => `/region/${code}?flag=${encodeURIComponent(id)}` : undefined} />
    return <ScrollingTable data={data} />
  }
  if (data.kind === 'regions' && panel.kind === 'map') {
    const markers = flags
      .filter((f) => Date.now() - f.receivedAt < 5 * 60_000)
      .map((f) => ({ id: f.flagId, regionCode: f.regionCode, severity: f.severity }))
    const countyRows = data.rows.every((r) => getRegion(r.code)?.level === 'county')
    if (countyRows) return <RegionMap rows={data.rows} unit={panel.unit} markers={markers} pinned={pinned?.regionCode} onSelect={onSelectRegion} svgRef={setSvg} />
    // below the city there are no town shapes: the county's outline beside its ranked towns
    // the ranking takes 3 of the 5 columns of .map-split
    const rankedOption = chartOption({ ...panel, kind: 'hbar' }, data, u, undefined, bodyWidth ? (bodyWidth * 3) / 5 : undefined)!
    return (
      <div className="map-split">
        <RegionMap rows={[]} unit={panel.unit} focus={countyOf(region) ?? CITY_CODE} markers={markers} pinned={pinned?.regionCode} onSelect={onSelectRegion} svgRef={setSvg} />
        <EChart option={rankedOption} handle={setChart} onClick={(p) => onSelectRegion && pickCode(p.data, onSelectRegion)} />
      </div>
    )
  }
  if (data.kind === 'regions' && data.rows.length === 0) return <div className="empty">暂无数据</div>
  if (panel.kind === 'pie' && !hasSomething(panel, data)) return <div className="empty">暂无数据</div>
  if (data.kind === 'series' && data.categories.length === 0) return <div className="empty">暂无数据</div>
  if (option && data.kind === 'value' && data.note)
    return (
      <div className="gauge-with-note">
        <EChart option={option} handle={setChart} />
        <div className="kpi-compare kpi-note">{data.note}</div>
      </div>
    )
  if (option) return <EChart option={option} handle={setChart} onClick={(p) => onSelectRegion && pickCode(p.data, onSelectRegion)} />
  return <div className="empty">此面板不支持该数据（{data.kind}）</div>
}

/**
 * Whether the panel has anything to draw: a row, or a figure above zero among what it draws (a pie
 * draws its first series only; bars and lines all of theirs: 审批超时 may have 督办 and no 提醒).
 */
function hasSomething(panel: Panel, data: PanelData): boolean {
  if (data.kind === 'series') return (panel.kind === 'pie' ? data.series.slice(0, 1) : data.series).some((s) => s.values.some((v) => v > 0))
  if (data.kind === 'regions') return data.rows.some((r) => r.value > 0)
  if (data.kind === 'table') return data.rows.length > 0
  if (data.kind === 'funnel') return data.stages.some((s) => s.value > 0)
  return true
}

function pickCode(datum: unknown, select: (code: string) => void): void {
  const code = (datum as { code?: unknown } | null)?.code
  if (typeof code === 'string') select(code)
}

function textLines(panel: Panel, data: PanelData): string[] {
  switch (data.kind) {
    case 'value':
      return [
        formatValueText(data.value, panel.unit),
        ...(data.compare ? [`${data.compare.label} ${formatValueText(data.compare.value, panel.unit)}`] : []),
        ...(data.note ? [data.note] : []),
      ]
    case 'table':
      return [data.columns.map((c) => c.title).join('  '), ...data.rows.slice(0, 20).map((r) => data.columns.map((c) => cellText(c.key, c.title, r[c.key])).join('  '))]
    case 'funnel':
      return data.stages.map((s) => `${s.name}  ${formatValueText(s.value, panel.unit)}`)
    case 'regions':
      return data.rows.map((r) => `${r.name}  ${formatValueText(r.value, panel.unit)}`)
    case 'series': {
      const figures = data.series.map(figuresOf)
      return data.categories.map((c, i) => `${c}  ${figures.map((f) => (f[i] === null ? NO_FIGURE : formatValueText(f[i] ?? 0, panel.unit))).join('  ')}`)
    }
    case 'notApplicable':
    case 'pending':
      return [data.reason]
  }
}

function footDate(asOf: string | null): string {
  const text = formatShortDateTime(asOf)
  return text.includes(' ') ? `${text.split(' ')[0]} ` : ''
}

function footTime(asOf: string | null): string {
  const text = formatShortDateTime(asOf)
  return text.includes(' ') ? text.split(' ')[1] : text
}
