'use client'

import type { FlagEvent } from '../../dashboards/types'
import { pathToRoot } from '../../geo/regions'
import { formatShortDateTime, formatValueText } from '../lib/format'

/** The flag a detour is about, and the critical flags that arrived while it was on screen. */
export interface DetourFlags {
  current: FlagEvent
  queued: FlagEvent[]
}

const severityText: Record<FlagEvent['severity'], string> = { critical: '重大风险', warn: '较大风险', info: '一般' }

/** 隆昌市 › 石碾镇 › 某村: the whole place, county first (a village name alone says little in the room). */
export function placePath(regionCode: string): string {
  const names = pathToRoot(regionCode).filter((r) => r.level !== 'city').reverse().map((r) => r.name)
  return names.length ? names.join(' › ') : regionCode
}

/**
 * The card of a critical-flag detour: what was found (rule), where (county › town › village), how
 * much and when, for as long as the detour lasts. It sits in the wall's flow between the title bar
 * and the panels, so it never covers a panel's title or value. Flags arriving meanwhile queue on
 * its right instead of replacing it.
 */
export function FlagCard({ flags }: { flags: DetourFlags }) {
  const { current, queued } = flags
  return (
    <div className="flag-card" role="alert" data-flag={current.flagId} data-queued={queued.length}>
      <span className={`flag-card-severity ${current.severity}`}>{severityText[current.severity]}预警</span>
      <span className="flag-card-rule" data-field="rule">{current.ruleId} {current.ruleName}</span>
      <span className="flag-card-place" data-field="place">{placePath(current.regionCode)}</span>
      <span className="flag-card-amount" data-field="amount">{current.amount === null ? '金额 —' : formatValueText(current.amount, '元')}</span>
      <span className="flag-card-time" data-field="time">{formatShortDateTime(current.detectedAt)}</span>
      {queued.length > 0 && (
        <span className="flag-card-queue" data-field="queue">
          另有 {queued.length} 条待处置：
          {queued.slice(0, 3).map((f) => (
            <span key={f.flagId} className="flag-card-queued" data-queued-flag={f.flagId}>
              {f.ruleName} · {placePath(f.regionCode)}{f.amount === null ? '' : ` · ${formatValueText(f.amount, '元')}`}
            </span>
          ))}
        </span>
      )}
    </div>
  )
}

/**
 * What the card shows next, given the flag that just arrived: a flag that starts a detour becomes
 * the card; one that arrives during a detour queues behind it; one the rotation ignored (the quiet
 * time after a detour) changes nothing.
 */
export function nextDetourFlags(card: DetourFlags | null, flag: FlagEvent, outcome: 'started' | 'during' | 'ignored'): DetourFlags | null {
  if (outcome === 'started') return { current: flag, queued: [] }
  if (outcome === 'during' && card) return card.queued.some((f) => f.flagId === flag.flagId) ? card : { ...card, queued: [...card.queued, flag] }
  return card
}
