'use client'

import { useEffect, useState } from 'react'
import { formatDateTime, formatPeriod, formatValueText } from '../lib/format'
import { PAYMENT_STATUSES } from '../../dashboards/paymentStatus'

interface RecordFlag {
  flagId: string
  ruleId: string
  ruleName: string
  severity: string
}

interface RecordPage {
  rows: Array<Record<string, unknown> & { flags?: RecordFlag[] }>
  total: number
  page: number
  pageSize: number
  asOf?: string | null
}

export interface RecordQuery {
  period?: string
  project?: string
  status?: string
  rule?: string
  flag?: string
  sort?: string
}

const payTime = (v: unknown) => formatDateTime(String(v).replace(' ', 'T') + (String(v).includes('Z') || String(v).includes('+') ? '' : '+08:00'))

/** Columns shown to a reviewer; personal fields arrive masked from the server. */
const COLUMNS: Array<{ key: string; title: string; show?: (v: unknown) => string }> = [
  { key: 'period', title: '期间', show: (v) => formatPeriod(String(v)) },
  { key: 'project_name', title: '项目' },
  { key: 'dept', title: '部门' },
  { key: 'person_name', title: '姓名' },
  { key: 'id_number', title: '身份证号' },
  { key: 'age_years', title: '年龄' },
  { key: 'card_number', title: '卡号' },
  { key: 'bank', title: '代发银行' },
  { key: 'amount_paid', title: '实发金额', show: (v) => formatValueText(Number(v), '元') },
  { key: 'status', title: '状态' },
  { key: 'pay_time', title: '发放时间', show: payTime },
  { key: 'prereview_hits', title: '预审命中' },
]

const SORTS: Array<[string, string]> = [['time-desc', '发放时间（新→旧）'], ['time-asc', '发放时间（旧→新）'], ['amount-desc', '金额（高→低）'], ['amount-asc', '金额（低→高）'], ['period-desc', '期间（新→旧）']]

/**
 * The payment records behind a place's figures, paged on the server (GET /api/records): filters by
 * period, project, status and flagged rule, a sort, the flags each record carries (each opens its
 * records), and the masked rows as CSV (the server audits the export). 401/403/404 are shown as an
 * empty state with the reason, never as a broken page.
 */
export function RecordsTable({ region, initial = {}, projects = [], rules = [], onAsOf }: {
  region: string
  initial?: RecordQuery
  /** [code, name] of the projects to offer in the filter */
  projects?: Array<[string, string]>
  /** [id, name] of the rules to offer in the filter */
  rules?: Array<[string, string]>
  onAsOf?: (asOf: string | null) => void
}) {
  const [page, setPage] = useState(1)
  const [query, setQuery] = useState<RecordQuery>(initial)
  const [state, setState] = useState<{ kind: 'loading' } | { kind: 'ok'; data: RecordPage } | { kind: 'empty'; reason: string }>({ kind: 'loading' })
  const params = new URLSearchParams({ region })
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value)
  const search = params.toString()
  useEffect(() => {
    const abort = new AbortController()
    setState({ kind: 'loading' })
    fetch(`/api/records?${search}&${new URLSearchParams({ page: String(page), pageSize: '20' })}`, { signal: abort.signal, cache: 'no-store' })
      .then(async (res) => {
        if (res.status === 401) return setState({ kind: 'empty', reason: '查看发放明细需要登录（大屏令牌不含明细权限）' })
        if (res.status === 403) return setState({ kind: 'empty', reason: '该地区不在您的权限范围内' })
        if (res.status === 404) return setState({ kind: 'empty', reason: '明细查询服务尚未开放' })
        if (!res.ok) return setState({ kind: 'empty', reason: `明细查询失败（${res.status}）` })
        const data = (await res.json()) as RecordPage
        setState({ kind: 'ok', data })
        onAsOf?.(data.asOf ?? null)
      })
      .catch((error: unknown) => {
        if ((error as Error).name !== 'AbortError') setState({ kind: 'empty', reason: '明细查询失败（网络）' })
      })
    return () => abort.abort()
    // onAsOf is a setter of the page
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search, page])
  const set = (key: keyof RecordQuery, value: string) => {
    setPage(1)
    setQuery((q) => ({ ...q, [key]: value || undefined }))
  }

  return (
    <section className="panel wide records" data-panel="records" data-state={state.kind}>
      <header className="panel-title"><span>发放明细（已脱敏）</span></header>
      <div className="toolbar records-filters">
        <label>期间<input type="month" data-filter="period" value={query.period ? `${query.period.slice(0, 4)}-${query.period.slice(4)}` : ''} onChange={(e) => set('period', e.target.value.replace('-', ''))} /></label>
        <label>项目
          <select data-filter="project" value={query.project ?? ''} onChange={(e) => set('project', e.target.value)}>
            <option value="">全部</option>
            {projects.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
          </select>
        </label>
        <label>状态
          <select data-filter="status" value={query.status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">全部</option>
            {PAYMENT_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>预警规则
          <select data-filter="rule" value={query.rule ?? ''} onChange={(e) => set('rule', e.target.value)}>
            <option value="">全部</option>
            {rules.map(([id, name]) => <option key={id} value={id}>{id} {name}</option>)}
          </select>
        </label>
        <label>排序
          <select data-filter="sort" value={query.sort ?? 'time-desc'} onChange={(e) => set('sort', e.target.value)}>
            {SORTS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
        {query.flag && <button type="button" data-filter="flag" onClick={() => set('flag', '')}>预警 {query.flag} 的明细 ✕</button>}
        <a className="records-export" data-export="records-csv" href={`/api/records/export.csv?${search}`} download>导出 CSV（脱敏，留痕）</a>
      </div>
      <div className="panel-body">
        {state.kind === 'loading' && <div className="empty">正在查询…</div>}
        {state.kind === 'empty' && <div className="empty" data-empty-reason>{state.reason}</div>}
        {state.kind === 'ok' && state.data.rows.length === 0 && <div className="empty">没有符合条件的发放记录</div>}
        {state.kind === 'ok' && state.data.rows.length > 0 && (
          <>
            <table className="records-table">
              <thead><tr>{COLUMNS.map((c) => <th key={c.key}>{c.title}</th>)}<th>预警</th></tr></thead>
              <tbody>
                {state.data.rows.map((row, i) => (
                  <tr key={String(row.detail_id ?? i)} data-record={String(row.detail_id ?? '')}>
                    {COLUMNS.map((c) => <td key={c.key}>{row[c.key] === null || row[c.key] === undefined ? '' : c.show ? c.show(row[c.key]) : String(row[c.key])}</td>)}
                    <td>
                      {(row.flags ?? []).map((f) => (
                        <button key={f.flagId} type="button" className={`record-flag ${f.severity}`} data-record-flag={f.flagId} title={`预警 ${f.flagId}：查看该预警涉及的全部明细`} onClick={() => set('flag', f.flagId)}>
                          {f.ruleId} {f.ruleName}
                        </button>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="pager toolbar">
              <button type="button" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>上一页</button>
              <span data-total={state.data.total}>第 {state.data.page} 页 / 共 {Math.max(1, Math.ceil(state.data.total / state.data.pageSize))} 页（{state.data.total.toLocaleString('zh-CN')} 条）</span>
              <button type="button" disabled={page * state.data.pageSize >= state.data.total} onClick={() => setPage((p) => p + 1)}>下一页</button>
            </div>
          </>
        )}
      </div>
    </section>
  )
}
