'use client'

import { useEffect, useMemo, useRef, useState } from 'react'
import { useRouter } from 'next/navigation'
import { dashboards } from '../../dashboards'
import { THEME_IDS, themeTitles, type PanelData, type ThemeId } from '../../dashboards/types'
import { CITY_CODE, childrenOf, getRegion } from '../../geo/regions'
import { downloadUrl, themePng } from '../lib/download'
import { exportFileName, exportHeader, type ExportContext } from '../lib/exportMeta'
import { formatDateTime } from '../lib/format'
import { ThemeBoard } from './ThemeBoard'
import { useFlags, useLiveRoom, useSocket } from './useLive'

export interface ReviewFilters {
  region: string
  year?: string
  project?: string
  dept?: string
}

/**
 * 专题研判 for leaders: a theme on an ordinary screen with filters. The region filter is the live
 * room's region; year / project / department are metric parameters fetched per panel from
 * `GET /api/metrics/:name` (the server maps them onto each metric's own parameters). Every panel
 * exports PNG and CSV.
 */
export function ReviewBoard({ theme, filters, token }: { theme: ThemeId; filters: ReviewFilters; token?: string }) {
  const router = useRouter()
  const dashboard = dashboards[theme]
  const socket = useSocket(token)
  const live = useLiveRoom(socket, theme, filters.region)
  const flags = useFlags(socket)
  const filtered = Boolean(filters.year || filters.project || filters.dept)
  const { overrides, notice } = useFilteredPanels(theme, filters, filtered)

  const options = useFilterOptions(live.room?.panels ?? {})
  const go = (next: Partial<ReviewFilters> & { theme?: ThemeId }) => {
    const merged = { ...filters, ...next }
    const query = new URLSearchParams()
    if (merged.region !== CITY_CODE) query.set('region', merged.region)
    for (const key of ['year', 'project', 'dept'] as const) if (merged[key]) query.set(key, merged[key]!)
    if (token) query.set('token', token)
    router.push(`/review/${next.theme ?? theme}${query.size ? `?${query}` : ''}`)
  }
  const counties = childrenOf(CITY_CODE)
  const county = getRegion(filters.region)?.level === 'county' ? filters.region : getRegion(filters.region)?.parent ?? undefined
  const towns = county && county !== CITY_CODE ? childrenOf(county) : []
  const thisYear = new Date().getFullYear()
  const grid = useRef<HTMLDivElement>(null)
  const exportContext: ExportContext = {
    theme: dashboard.title,
    region: getRegion(filters.region)?.name ?? filters.region,
    filters: `年度 ${filters.year ? `${filters.year}年` : '全部'}；项目 ${filters.project ?? '全部'}；部门 ${filters.dept ?? '全部'}`,
    period: filters.year ? `${filters.year}年` : '全部年度（各面板按标题所示期间）',
  }
  // the printed header leaves out the export time: it is rendered on the server too and must match
  const header = exportHeader(exportContext, '整页（专题研判）', undefined, live.room?.asOf ?? null, null)
  const exportTheme = async () => {
    const stamped = exportHeader(exportContext, '整页（专题研判）', undefined, live.room?.asOf ?? null)
    if (grid.current) downloadUrl(await themePng(grid.current, stamped), exportFileName(exportContext, '整页', 'png'))
  }
  // the browser's own print (or a headless one) makes the PDF, as seen on screen, under the header
  const printTheme = () => {
    const title = document.title
    document.title = exportFileName(exportContext, '整页', 'pdf').replace(/\.pdf$/, '')
    window.print()
    document.title = title
  }

  return (
    <div className="page review" data-theme={theme} data-connection={live.connection}>
      <div className="page-head">
        <h1>专题研判 · {dashboard.title}</h1>
        <div className="toolbar">
          {THEME_IDS.map((id) => (
            <button key={id} type="button" className={id === theme ? 'active' : ''} onClick={() => go({ theme: id })}>{themeTitles[id]}</button>
          ))}
        </div>
      </div>
      <div className="page-head toolbar">
        <label>
          年度
          <select value={filters.year ?? ''} onChange={(e) => go({ year: e.target.value || undefined })}>
            <option value="">全部</option>
            {[0, 1, 2, 3, 4, 5, 6].map((back) => <option key={back} value={thisYear - back}>{thisYear - back}年</option>)}
          </select>
        </label>
        <label>
          区县
          <select value={county && county !== CITY_CODE ? county : ''} onChange={(e) => go({ region: e.target.value || CITY_CODE })}>
            <option value="">内江市（全市）</option>
            {counties.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
          </select>
        </label>
        {towns.length > 0 && (
          <label>
            乡镇（街道）
            <select value={getRegion(filters.region)?.level === 'town' ? filters.region : ''} onChange={(e) => go({ region: e.target.value || county })}>
              <option value="">全部</option>
              {towns.map((t) => <option key={t.code} value={t.code}>{t.name}</option>)}
            </select>
          </label>
        )}
        <label>
          项目
          <select value={filters.project ?? ''} onChange={(e) => go({ project: e.target.value || undefined })}>
            <option value="">全部</option>
            {options.projects.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label>
          部门
          <select value={filters.dept ?? ''} onChange={(e) => go({ dept: e.target.value || undefined })}>
            <option value="">全部</option>
            {options.depts.map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </label>
        <span>数据截至 {formatDateTime(live.room?.asOf ?? null)}</span>
        {live.connection === 'disconnected' && <span className="notice" role="alert">连接中断，正在重新连接…</span>}
        {live.connection === 'refused' && <span className="notice" role="alert">无法获取数据：{live.error}</span>}
        {notice && <span className="notice">{notice}</span>}
        <span className="export-tools">
          <button type="button" data-export="theme-png" onClick={() => void exportTheme()}>整页 PNG</button>
          <button type="button" data-export="theme-pdf" onClick={printTheme}>整页 PDF / 打印</button>
        </span>
      </div>
      <header className="print-header" aria-hidden="true">
        {header.map((line, i) => (i === 0 ? <h2 key={i}>{line}</h2> : <p key={i}>{line}</p>))}
      </header>
      <div className="review-grid" ref={grid}>
        <ThemeBoard
          dashboard={dashboard}
          room={live.room}
          region={filters.region}
          connection={live.connection}
          flags={flags}
          exportable
          exportContext={exportContext}
          overrides={overrides}
          onSelectRegion={(code) => go({ region: code })}
        />
      </div>
    </div>
  )
}

function useFilterOptions(panels: Record<string, PanelData>): { projects: string[]; depts: string[] } {
  const [seen, setSeen] = useState<{ projects: string[]; depts: string[] }>({ projects: [], depts: [] })
  useEffect(() => {
    const categories = (metricKey: string) =>
      Object.entries(panels)
        .filter(([id, data]) => id.includes(metricKey) && data.kind === 'series')
        .flatMap(([, data]) => (data.kind === 'series' ? data.categories : []))
    const projects = categories('project')
    const depts = categories('dept')
    if (projects.length || depts.length)
      setSeen((s) => ({ projects: [...new Set([...s.projects, ...projects])], depts: [...new Set([...s.depts, ...depts])] }))
  }, [panels])
  return seen
}

/** Fetches each panel with the filters; a missing endpoint (404) leaves the live data and says so. */
function useFilteredPanels(theme: ThemeId, filters: ReviewFilters, enabled: boolean): { overrides: Record<string, PanelData>; notice: string | null } {
  const [result, setResult] = useState<{ overrides: Record<string, PanelData>; notice: string | null }>({ overrides: {}, notice: null })
  const key = useMemo(() => JSON.stringify({ theme, filters }), [theme, filters])
  useEffect(() => {
    if (!enabled) {
      setResult({ overrides: {}, notice: null })
      return
    }
    const abort = new AbortController()
    const panels = dashboards[theme].panels
    Promise.all(
      panels.map(async (panel) => {
        const query = new URLSearchParams({ region: filters.region })
        for (const [name, value] of Object.entries(panel.params)) query.set(name, String(value))
        for (const name of ['year', 'project', 'dept'] as const) if (filters[name]) query.set(name, filters[name]!)
        const res = await fetch(`/api/metrics/${encodeURIComponent(panel.metric)}?${query}`, { signal: abort.signal, cache: 'no-store' })
        if (!res.ok) return [panel.id, null, res.status] as const
        const body = (await res.json()) as { data?: PanelData } & Partial<PanelData>
        return [panel.id, (body.data ?? body) as PanelData, res.status] as const
      }),
    )
      .then((answers) => {
        const overrides: Record<string, PanelData> = {}
        for (const [id, data] of answers) if (data) overrides[id] = data
        const missing = answers.filter(([, data]) => !data)
        const notice = missing.length === answers.length
          ? '筛选查询暂不可用，当前显示实时全量数据'
          : missing.length ? `${missing.length} 个面板不支持所选筛选条件，显示实时全量数据` : null
        setResult({ overrides, notice })
      })
      .catch((error: unknown) => {
        if ((error as Error).name !== 'AbortError') setResult({ overrides: {}, notice: '筛选查询失败，当前显示实时全量数据' })
      })
    return () => abort.abort()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, enabled])
  return result
}
