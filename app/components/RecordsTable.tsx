'use client'

import { useEffect, useState } from 'react'
import { formatDateTime, formatPeriod, formatValueText } from '../lib/format'

interface RecordPage {
  rows: Array<Record<string, unknown>>
  total: number
  page: number
  pageSize: number
}

/** Columns shown to a reviewer; personal fields arrive masked from the server. */
const COLUMNS: Array<{ key: string; title: string; show?: (v: unknown) => string }> = [
  { key: 'period', title: '期间', show: (v) => formatPeriod(String(v)) },
  { key: 'project_code', title: '项目' },
  { key: 'dept', title: '部门' },
  { key: 'person_name', title: '姓名' },
  { key: 'id_number', title: '身份证号' },
  { key: 'age_years', title: '年龄' },
  { key: 'card_number', title: '卡号' },
  { key: 'bank', title: '代发银行' },
  { key: 'amount_paid', title: '实发金额', show: (v) => formatValueText(Number(v), '元') },
  { key: 'status', title: '状态' },
  { key: 'pay_time', title: '发放时间', show: (v) => formatDateTime(String(v).replace(' ', 'T') + (String(v).includes('Z') || String(v).includes('+') ? '' : '+08:00')) },
  { key: 'prereview_hits', title: '预审命中' },
]

/**
 * The payment records behind a village's figures, paged on the server (GET /api/records).
 * 401/403/404 are shown as an empty state with the reason, never as a broken page.
 */
export function RecordsTable({ region }: { region: string }) {
  const [page, setPage] = useState(1)
  const [state, setState] = useState<{ kind: 'loading' } | { kind: 'ok'; data: RecordPage } | { kind: 'empty'; reason: string }>({ kind: 'loading' })
  useEffect(() => {
    const abort = new AbortController()
    setState({ kind: 'loading' })
    fetch(`/api/records?${new URLSearchParams({ region, page: String(page), pageSize: '20' })}`, { signal: abort.signal, cache: 'no-store' })
      .then(async (res) => {
        if (res.status === 401) return setState({ kind: 'empty', reason: '查看发放明细需要登录（大屏令牌不含明细权限）' })
        if (res.status === 403) return setState({ kind: 'empty', reason: '该地区不在您的权限范围内' })
        if (res.status === 404) return setState({ kind: 'empty', reason: '明细查询服务尚未开放' })
        if (!res.ok) return setState({ kind: 'empty', reason: `明细查询失败（${res.status}）` })
        setState({ kind: 'ok', data: (await res.json()) as RecordPage })
      })
      .catch((error: unknown) => {
        if ((error as Error).name !== 'AbortError') setState({ kind: 'empty', reason: '明细查询失败（网络）' })
      })
    return () => abort.abort()
  }, [region, page])

  return (
    <section className="panel wide records" data-panel="records" data-state={state.kind}>
      <header className="panel-title"><span>发放明细（已脱敏）</span></header>
      <div className="panel-body">
        {state.kind === 'loading' && <div className="empty">正在查询…</div>}
        {state.kind === 'empty' && <div className="empty" data-empty-reason>{state.reason}</div>}
        {state.kind === 'ok' && state.data.rows.length === 0 && <div className="empty">该地区暂无发放记录</div>}
        {state.kind === 'ok' && state.data.rows.length > 0 && (
          <>
            <table className="records-table">
              <thead><tr>{COLUMNS.map((c) => <th key={c.key}>{c.title}</th>)}</tr></thead>
              <tbody>
                {state.data.rows.map((row, i) => (
                  <tr key={String(row.detail_id ?? i)}>
                    {COLUMNS.map((c) => <td key={c.key}>{row[c.key] === null || row[c.key] === undefined ? '' : c.show ? c.show(row[c.key]) : String(row[c.key])}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="pager toolbar">
              <button type="button" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>上一页</button>
              <span>第 {state.data.page} 页 / 共 {Math.max(1, Math.ceil(state.data.total / state.data.pageSize))} 页（{state.data.total.toLocaleString('zh-CN')} 条）</span>
              <button type="button" disabled={page * state.data.pageSize >= state.data.total} onClick={() => setPage((p) => p + 1)}>下一页</button>
            </div>
          </>
        )}
      </div>
    </section>
  )
}
