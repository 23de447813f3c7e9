'use client'

import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useEffect, useMemo, useState } from 'react'
import { dashboards } from '../../dashboards'
import type { Panel } from '../../dashboards/types'
import { CITY_CODE, countyOf, getRegion, pathToRoot } from '../../geo/regions'
import { chartOption } from '../lib/chartOptions'
import { formatDateTime, formatValueText } from '../lib/format'
import { EChart } from './EChart'
import { KpiValue } from './KpiValue'
import { RegionMap } from './RegionMap'
import { RecordsTable } from './RecordsTable'
import { PlaceSummary } from './PlaceSummary'
import { useLiveRoom, useSocket } from './useLive'

const mapPanel = dashboards.overview.panels.find((p) => p.metric === 'payments.byChildRegion')!
const kpiPanels = dashboards.overview.panels.filter((p) => ['payments.total', 'payments.count', 'payments.persons'].includes(p.metric))

/**
 * 区域穿透: city map → county (click) → its towns (ranked bars) → a village → the masked payment
 * records behind the number. One region tree drives the map, the breadcrumb and the rooms.
 */
export function RegionDrill({ code, token, flag }: { code: string; token?: string; flag?: string }) {
  const router = useRouter()
  const region = getRegion(code)!
  const below = region.level !== 'village'
  const socket = useSocket(token)
  // villages have no room of their own (rollups stop at town): their page shows the records
  const live = useLiveRoom(below ? socket : null, 'overview', code)
  const suffix = token ? `?token=${encodeURIComponent(token)}` : ''
  const open = (next: string) => router.push(`/region/${next}${suffix}`)
  const trail = pathToRoot(code).reverse()
  const childRows = live.room?.panels[mapPanel.id]
  const rows = childRows?.kind === 'regions' ? [...childRows.rows].sort((a, b) => b.value - a.value) : []
  const childWord = region.level === 'city' ? '区县' : region.level === 'county' ? '乡镇（街道）' : '村（社区）'
  const rankedPanel: Panel = useMemo(() => ({ ...mapPanel, kind: 'hbar', title: `各${childWord}发放金额` }), [childWord])
  const ranked = useMemo(() => (childRows ? chartOption(rankedPanel, childRows, 1, 200) : null), [childRows, rankedPanel])
  const height = Math.max(420, rows.length * 30 + 40)

  // a refused room (another county's data) never arrives: say so in every panel, not "waiting"
  const pending = live.connection === 'refused' ? '无权查看' : '等待数据…'
  // a village has no room: its 数据截至 is the newest payment among its records
  const [recordsAsOf, setRecordsAsOf] = useState<string | null>(null)
  const asOf = below ? live.room?.asOf ?? null : recordsAsOf
  // a flag opened from the alerts list shows its records below, at any level
  const [openFlag, setOpenFlag] = useState<string | undefined>(flag)
  const options = useRecordOptions()
  const records = (key: string) => (
    <RecordsTable key={key} region={code} initial={openFlag ? { flag: openFlag } : {}} projects={options.projects} rules={options.rules} onAsOf={setRecordsAsOf} />
  )
  return (
    <div className="page drill" data-region={code} data-level={region.level} data-connection={live.connection}>
      <div className="page-head">
        <nav className="breadcrumb" aria-label="区域层级">
          {trail.map((r, i) => (
            <span key={r.code}>
              {i > 0 && <span className="sep">›</span>}{' '}
              {r.code === code ? <strong data-crumb={r.code}>{r.name}</strong> : <Link href={`/region/${r.code}${suffix}`} data-crumb={r.code}>{r.name}</Link>}
            </span>
          ))}
        </nav>
        <span className="toolbar" data-as-of={asOf ?? ''}>数据截至 {formatDateTime(asOf)}</span>
        {live.connection === 'disconnected' && below && <span className="notice" role="alert">连接中断，正在重新连接…</span>}
        {live.connection === 'refused' && <span className="notice" role="alert">无法获取数据：{live.error}</span>}
      </div>
      {below && (
        <div className="drill-kpis review-grid" style={{ gridTemplateRows: '110px', marginBottom: 14 }}>
          {kpiPanels.map((panel, i) => {
            const data = live.room?.panels[panel.id]
            // a figure that is said rather than shown (not known yet, or not applicable here) gives its reason
            const said = data?.kind === 'pending' || data?.kind === 'notApplicable' ? data.reason : pending
            return (
              <section key={panel.id} className="panel kind-kpi" style={{ gridColumn: `${i * 8 + 1} / span 8` }} data-state={data ? 'ready' : 'waiting'}>
                <header className="panel-title"><span>{panel.title}</span></header>
                <div className="panel-body">{data?.kind === 'value' ? <KpiValue panel={panel} data={data} /> : <div className={data?.kind === 'pending' ? 'empty pending' : 'empty'}>{said}</div>}</div>
              </section>
            )
          })}
        </div>
      )}
      {region.level !== 'city' && <PlaceSummary code={code} onOpenFlag={setOpenFlag} />}
      {below && openFlag && records(`flag-${openFlag}`)}
      {below ? (
        <div className="drill-grid">
          <section className="panel" data-panel="drill-map">
            <header className="panel-title"><span>{region.level === 'city' ? '点击区县进入' : `${getRegion(countyOf(code) ?? CITY_CODE)?.name}（无乡镇边界数据，右侧为排名）`}</span></header>
            <div className="panel-body">
              <RegionMap
                rows={region.level === 'city' ? rows : []}
                unit={mapPanel.unit}
                focus={region.level === 'city' ? undefined : countyOf(code)}
                onSelect={open}
              />
            </div>
          </section>
          <section className="panel" data-panel="drill-children" data-state={childRows ? 'ready' : 'waiting'} style={{ height }}>
            <header className="panel-title"><span>各{childWord}发放金额（点击下钻）</span></header>
            <div className="panel-body">
              {ranked && rows.length ? <EChart option={ranked} onClick={(p) => pickCode(p.data, open)} /> : <div className="empty">{childRows ? '暂无数据' : pending}</div>}
            </div>
          </section>
          <ChildList rows={rows} open={open} />
        </div>
      ) : (
        records(`village-${openFlag ?? ''}`)
      )}
    </div>
  )
}

/** The same children as links, for keyboards and for reading exact figures. */
function ChildList({ rows, open }: { rows: Array<{ code: string; name: string; value: number; extra?: Record<string, number> }>; open: (code: string) => void }) {
  if (!rows.length) return null
  return (
    <section className="panel wide">
      <div className="panel-body">
        <table className="records-table">
          <thead><tr><th>地区</th><th>发放金额</th><th>人次</th><th>人数</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code}>
                <td><a href="#" data-child={r.code} onClick={(e) => { e.preventDefault(); open(r.code) }}>{r.name}</a></td>
                <td>{formatValueText(r.value, '元')}</td>
                <td>{r.extra?.count !== undefined ? formatValueText(r.extra.count, '人次') : ''}</td>
                <td>{r.extra?.persons !== undefined ? formatValueText(r.extra.persons, '人') : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function pickCode(datum: unknown, select: (code: string) => void): void {
  const code = (datum as { code?: unknown } | null)?.code
  if (typeof code === 'string') select(code)
}


/** Project and rule names for the records filters (catalogues only; none until signed in). */
function useRecordOptions(): { projects: Array<[string, string]>; rules: Array<[string, string]> } {
  const [options, setOptions] = useState<{ projects: Array<[string, string]>; rules: Array<[string, string]> }>({ projects: [], rules: [] })
  useEffect(() => {
    fetch('/api/records/options', { cache: 'no-store' })
      .then((res) => (res.ok ? res.json() : null))
      .then((body) => body && setOptions(body))
      .catch(() => undefined)
  }, [])
  return options
}
