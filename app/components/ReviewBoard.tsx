'use client'

import { useEffect, useMemo, useRef, useState } from 'react'
import { useRouter } from 'next/navigation'
import { dashboards } from '../../dashboards'
import { REVIEW_FILTERS, THEME_IDS, themeTitles, type Panel, type PanelData, type ReviewFilterKind, type ThemeId } from '../../dashboards/types'
import { CITY_CODE, childrenOf, getRegion } from '../../geo/regions'
import { downloadUrl, themePng } from '../lib/download'
import { exportFileName, exportHeader, type ExportContext } from '../lib/exportMeta'
import { formatDateTime } from '../lib/format'
import { OwnScope } from './OwnScope'
import { ThemeBoard } from './ThemeBoard'
import { useFlags, useLiveRoom, useSocket } from './useLive'

export interface ReviewFilters {
  region: string
  /** false when the address named no region: a signed-in user then gets their own scope */
  regionGiven?: boolean
  year?: string
  /** project code (P26); the dropdown shows names */
  project?: string
  dept?: string
}

interface Catalogue {
  projects: Array<{ code: string; name: string; dept: string }>
  departments: string[]
}

/**
 * 专题研判 for leaders: a theme on an ordinary screen with filters. The region filter is the live
 * room's region; year / project / department are metric parameters fetched per panel from
 * `GET /api/metrics/:name` (the server maps them onto each metric's own parameters). A panel is
 * sent only the filters its definition says it follows; under any other active filter it keeps
 * its live numbers, greyed, with 「不随…筛选」 on it. Every panel exports PNG and CSV.
 */
export function ReviewBoard({ theme, filters, token }: { theme: ThemeId; filters: ReviewFilters; token?: string }) {
  const router = useRouter()
  const dashboard = dashboards[theme]
  const socket = useSocket(token)
  const live = useLiveRoom(socket, theme, filters.region)
  const flags = useFlags(socket)
  const active = activeFilters(filters)
  const filtered = Object.keys(active).length > 0
  const { overrides, notice, failed, pending } = useFilteredPanels(theme, filters, filtered)
  const catalogue = useCatalogue()
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
      <OwnScope region={filters.region} regionGiven={filters.regionGiven ?? true} />
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
            {catalogue.projects
              .filter((p) => !filters.dept || p.dept === filters.dept)
              .map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
          </select>
        </label>
        <label>
          部门
          <select value={filters.dept ?? ''} onChange={(e) => go({ dept: e.target.value || undefined })}>
            <option value="">全部</option>
            {catalogue.departments.map((d) => <option key={d} value={d}>{d}</option>)}
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
          activeFilters={active}
          unfilteredPanels={failed}
          filteredPending={pending}
          onSelectRegion={(code) => go({ region: code })}
        />
      </div>
    </div>
  )
}

function activeFilters(filters: ReviewFilters): Partial<Record<ReviewFilterKind, string>> {
  const active: Partial<Record<ReviewFilterKind, string>> = {}
  for (const kind of REVIEW_FILTERS) if (filters[kind]) active[kind] = filters[kind]
  return active
}

/** Every project and department of the catalogue (not only those some panel happens to show). */
function useCatalogue(): Catalogue {
  const [catalogue, setCatalogue] = useState<Catalogue>({ projects: [], departments: [] })
  useEffect(() => {
    const abort = new AbortController()
    fetch('/api/catalogue', { signal: abort.signal, cache: 'no-store' })
      .then((res) => (res.ok ? (res.json() as Promise<Catalogue>) : null))
      .then((body) => body && setCatalogue(body))
      .catch(() => undefined)
    return () => abort.abort()
  }, [])
  return catalogue
}

/** The active filters this panel follows: the only ones sent with its query. */
function followedFilters(panel: Panel, filters: ReviewFilters): ReviewFilterKind[] {
  return panel.filters.filter((kind) => Boolean(filters[kind]))
}

/** Fetches each panel with the filters; a missing endpoint (404) leaves the live data and says so. */
interface FilteredPanels {
  overrides: Record<string, PanelData>
  notice: string | null
  /** panels whose filtered query failed: they show live numbers, marked as not following */
  failed: string[]
  /** the theme and filters these answers are for: answers to other filters are never shown */
  key?: string
}

const NONE: FilteredPanels = { overrides: {}, notice: null, failed: [] }

/**
 * Until a panel's filtered answer is in, the panel waits (「等待数据」) rather than showing the
 * live, unfiltered figures or the answers to the filters chosen before: a number under a filter
 * is always the filtered one.
 */
function useFilteredPanels(theme: ThemeId, filters: ReviewFilters, enabled: boolean): FilteredPanels & { pending: boolean } {
  const [result, setResult] = useState<FilteredPanels>(NONE)
  const key = useMemo(() => JSON.stringify({ theme, filters }), [theme, filters])
  const current = enabled && result.key === key
  useEffect(() => {
    if (!enabled) {
      setResult(NONE)
      return
    }
    const abort = new AbortController()
    // Panels that follow none of the active filters keep their live data (marked on the panel).
    const panels = dashboards[theme].panels.filter((panel) => followedFilters(panel, filters).length > 0)
    Promise.all(
      panels.map(async (panel) => {
        const query = new URLSearchParams({ region: filters.region })
        for (const [name, value] of Object.entries(panel.params)) query.set(name, String(value))
        for (const name of followedFilters(panel, filters)) query.set(name, filters[name]!)
        const res = await fetch(`/api/metrics/${encodeURIComponent(panel.metric)}?${query}`, { signal: abort.signal, cache: 'no-store' })
        if (!res.ok) return [panel.id, null, res.status] as const
        const body = (await res.json()) as { data?: PanelData } & Partial<PanelData>
        return [panel.id, (body.data ?? body) as PanelData, res.status] as const
      }),
    )
      .then((answers) => {
        const overrides: Record<string, PanelData> = {}
        for (const [id, data] of answers) if (data) overrides[id] = data
        const failed = answers.filter(([, data]) => !data)
        const notice = failed.length ? `${failed.length} 个面板筛选查询失败（HTTP ${failed[0][2]}），这些面板显示实时全量数据` : null
        setResult({ overrides, notice, failed: failed.map(([id]) => id), key })
      })
      .catch((error: unknown) => {
        if ((error as Error).name !== 'AbortError')
          setResult({ overrides: {}, notice: '筛选查询失败，当前显示实时全量数据', failed: dashboards[theme].panels.map((panel) => panel.id), key })
      })
    return () => abort.abort()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, enabled])
  return current ? { ...result, pending: false } : { ...NONE, pending: enabled }
}
