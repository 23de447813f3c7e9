'use client'

import { useEffect, useState } from 'react'
import { countyOf, getRegion } from '../../geo/regions'
import { formatShortDateTime, formatValueText } from '../lib/format'

interface FlagItem {
  flagId: string
  ruleId: string
  ruleName: string
  severity: string
  regionName: string
  amount: number | null
  detectedAt: string
  status: string
}

const severityText: Record<string, string> = { critical: '重大', warn: '较大', info: '一般' }

/**
 * A county, town or village page's own alerts (GET /api/flags for the place, with their ledger
 * state) and budget (budget
 * indicators are issued to counties, so below a county it is the county's execution, said so).
 * Each alert opens the payment records behind it.
 */
export function PlaceSummary({ code, onOpenFlag }: { code: string; onOpenFlag: (flagId: string) => void }) {
  const region = getRegion(code)!
  // every flag of the place, newest first, with its ledger state (a closed one still tells the story)
  const alerts = useJson<{ total: number; items: FlagItem[] }>(`/api/flags?${new URLSearchParams({ region: code, pageSize: '8' })}`)
  // Budget is held per county: a town or village page asks for its county's, and says so. A user
  // whose scope is only the town is refused the county's figures (the server answers 403).
  const county = getRegion(countyOf(code) ?? code)
  const budget = useJson<{ data?: { kind: string; value: number; reason?: string; compare?: { label: string; value: number } } } & { kind?: string; value?: number; reason?: string; compare?: { label: string; value: number } }>(`/api/metrics/budget.executionRate?region=${county?.code ?? code}`)
  const budgetValue = budget.data ? (budget.data.data ?? budget.data) : null
  return (
    <div className="place-summary">
      <section className="panel" data-panel="place-alerts" data-state={alerts.data ? 'ready' : alerts.error ? 'error' : 'waiting'}>
        <header className="panel-title"><span data-total={alerts.data?.total}>{region.name} 预警{alerts.data ? `（共 ${alerts.data.total} 条，最新 ${alerts.data.items.length} 条如下）` : ''}</span></header>
        {alerts.error && <div className="empty">{alerts.error}</div>}
        {alerts.data && alerts.data.items.length === 0 && <div className="empty">本地区暂无预警</div>}
        {alerts.data && alerts.data.items.length > 0 && (
          <ul className="place-alerts">
            {alerts.data.items.map((f) => (
              <li key={f.flagId} data-place-flag={f.flagId}>
                <span className={`ticker-severity ${f.severity}`}>{severityText[f.severity] ?? f.severity}</span>
                <a href="#" onClick={(e) => { e.preventDefault(); onOpenFlag(f.flagId) }} title="查看该预警涉及的发放明细">{f.ruleId} {f.ruleName}</a>
                <span>{f.regionName}</span>
                <span className="ticker-amount">{f.amount === null ? '' : formatValueText(f.amount, '元')}</span>
                <span className="ticker-time">{formatShortDateTime(f.detectedAt)}</span>
                <span>{f.status}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" data-panel="place-budget" data-state={budgetValue ? 'ready' : budget.error ? 'error' : 'waiting'}>
        <header className="panel-title"><span>预算执行</span></header>
        {budget.error && <div className="empty">{budget.error}</div>}
        {budgetValue && typeof budgetValue.value === 'number' && (
          <div className="place-budget">
            <div><strong className="kpi-digits" style={{ fontSize: 32 }}>{formatValueText(budgetValue.value, '%')}</strong> 预算执行率</div>
            {budgetValue.compare && <div>{budgetValue.compare.label} {formatValueText(budgetValue.compare.value, '%')}</div>}
            {region.level !== 'county' && <div className="notice">预算指标下达至区县：以上为{county?.name}的执行情况</div>}
          </div>
        )}
        {budgetValue && budgetValue.kind === 'notApplicable' && <div className="empty not-applicable">{budgetValue.reason}</div>}
      </section>
    </div>
  )
}

function useJson<T>(url: string): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null })
  useEffect(() => {
    const abort = new AbortController()
    setState({ data: null, error: null })
    fetch(url, { signal: abort.signal, cache: 'no-store' })
      .then(async (res) => {
        if (res.status === 401 || res.status === 403) return setState({ data: null, error: '无权查看（需登录且在管辖范围内）' })
        if (!res.ok) return setState({ data: null, error: `查询失败（${res.status}）` })
        setState({ data: (await res.json()) as T, error: null })
      })
      .catch((error: unknown) => {
        if ((error as Error).name !== 'AbortError') setState({ data: null, error: '查询失败（网络）' })
      })
    return () => abort.abort()
  }, [url])
  return state
}
