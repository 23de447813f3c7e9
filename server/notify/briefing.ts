import type { Db } from '../db/client'
import { getRegion, pathToRoot } from '../../geo/regions'
import { paymentsTodayAmount, paymentsTodayCount } from '../metrics/payments/today'
import { budgetExecutionRate, NOTHING_ISSUED } from '../metrics/budget/execution'
import { scopeCondition } from '../rules/scope'
import type { NotifyEvent } from './types'
import { eventRegion } from './sources/region'
import { beijingClock, beijingDay } from '../beijingTime'

/**
 * 每日简报: the day's figures for one leader's region, computed by the same metrics as the wall
 * (paid today, execution against 序时进度) plus the flag and ledger counts of that day.
 */
export interface BriefingFigures {
  paidAmount: number
  paidCount: number
  /** null: no budget issued for the year yet (budget.executionRate says so instead of 0 %) */
  executionRate: number | null
  expectedRate: number
  newFlags: number
  closedItems: number
  overdueItems: number
}

/** Payment panels count down to towns; a village leader sees their town's payments. */
function paymentRegion(scope: string): string {
  return getRegion(scope)?.level === 'village' ? (pathToRoot(scope)[1]?.code ?? scope) : scope
}

export async function briefingFigures(db: Db, scope: string, day: string): Promise<BriefingFigures> {
  const region = paymentRegion(scope)
  const amount = await paymentsTodayAmount.run(db, { region, day })
  const count = await paymentsTodayCount.run(db, { region, day })
  const execution = await budgetExecutionRate.run(db, { region: getRegion(scope)?.level === 'city' ? scope : (pathToRoot(scope).find((r) => r.level === 'county')?.code ?? scope), day })
  const where = scopeCondition(scope)
  const result = await db.client.query({
    query: `SELECT
              (SELECT uniqExact(flag_id) FROM flag WHERE ${where.sql} AND toDate(stored_at) = {day:Date} AND severity IN ('warn', 'critical')) AS new_flags,
              (SELECT count() FROM ledger_item FINAL WHERE ${where.sql} AND closed_at IS NOT NULL AND toDate(closed_at) = {day:Date}) AS closed_items,
              (SELECT count() FROM ledger_item FINAL WHERE ${where.sql} AND status IN ('待核实', '整改中') AND deadline < {day:Date}) AS overdue_items`,
    query_params: { ...where.params, day },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ new_flags: string; closed_items: string; overdue_items: string }>()
  const value = (data: { kind: string; value?: number }) => (data.kind === 'value' ? Number(data.value ?? 0) : 0)
  return {
    paidAmount: value(amount as { kind: string; value?: number }),
    paidCount: value(count as { kind: string; value?: number }),
    executionRate: execution.kind === 'value' ? execution.value : null,
    expectedRate: execution.kind === 'value' ? Number(execution.compare?.value ?? 0) : 0,
    newFlags: Number(row.new_flags),
    closedItems: Number(row.closed_items),
    overdueItems: Number(row.overdue_items),
  }
}

function yuan(amount: number): string {
  return amount >= 10_000 ? `${(amount / 10_000).toFixed(2)} 万元` : `${amount.toFixed(2)} 元`
}

export function briefingEvent(scope: string, day: string, figures: BriefingFigures): NotifyEvent {
  const region = eventRegion({ village_code: scope })
  const behind = figures.executionRate !== null && figures.executionRate < figures.expectedRate
  const execution = figures.executionRate === null
    ? `预算执行：${NOTHING_ISSUED}`
    : `预算执行 ${figures.executionRate}%（序时进度 ${figures.expectedRate}%${behind ? '，落后' : ''}）`
  return {
    eventId: `briefing:${day}:${scope}`,
    kind: 'briefing',
    severity: 'info',
    regionCode: region.code,
    regionName: region.name,
    title: `每日简报 ${day} ${region.name}`,
    text: `今日发放 ${yuan(figures.paidAmount)}（${figures.paidCount} 笔）；${execution}；新增预警 ${figures.newFlags} 条，销号 ${figures.closedItems} 件，逾期未整改 ${figures.overdueItems} 件。`,
    link: `/region/${region.code}`,
    occurredAt: new Date().toISOString(),
    figures: [
      { label: '今日发放金额', value: yuan(figures.paidAmount) },
      { label: '今日发放笔数', value: String(figures.paidCount) },
      { label: '预算执行率', value: figures.executionRate === null ? NOTHING_ISSUED : `${figures.executionRate}%` },
      { label: '序时进度', value: `${figures.expectedRate}%` },
      { label: '新增预警（较大及以上）', value: String(figures.newFlags) },
      { label: '今日销号', value: String(figures.closedItems) },
      { label: '逾期未整改', value: String(figures.overdueItems) },
    ],
  }
}

/** 'HH:MM' now in Shanghai, and today's date there. */
export function shanghaiClock(now = new Date()): { day: string; time: string } {
  return { day: beijingDay(now), time: beijingClock(now) }
}
