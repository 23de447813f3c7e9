import type { FlagEvent, PanelData } from '../../dashboards/types'
import { formatShortDateTime, formatValueText } from '../lib/format'

const severityText: Record<string, string> = { critical: '重大', warn: '较大', info: '一般' }
/** the ticker metric sends the Chinese label, flag events the key: both map to one style */
const severityClass: Record<string, string> = { critical: 'critical', warn: 'warn', info: 'info', 重大: 'critical', 较大: 'warn', 一般: 'info' }

/** `amount` has its own column so a long village name is cut, never the money */
type Row = { key: string; severity: string; time: string; cells: string[]; amount: string; fresh: boolean }

const isAmountColumn = (c: { key: string; title: string }) => /amount|金额/i.test(c.key + c.title)

/**
 * The scrolling list of newest flags: flags pushed live since the panel's last update come first
 * (marked 新), then the server's list. It scrolls only when it overflows its box.
 */
export function Ticker({ data, liveFlags, since }: { data: Extract<PanelData, { kind: 'table' }>; liveFlags: Array<FlagEvent & { receivedAt: number }>; since: number }) {
  const serverRows: Row[] = data.rows.map((row, i) => {
    const severity = String(row.severity ?? '')
    const timeKey = data.columns.find((c) => /time|At$|date/i.test(c.key))?.key
    const time = timeKey ? formatShortDateTime(row[timeKey] as string) : ''
    const cells = data.columns
      .filter((c) => c.key !== timeKey && c.key !== 'severity' && !/id$/i.test(c.key) && !isAmountColumn(c))
      .map((c) => String(row[c.key] ?? ''))
    const amountKey = data.columns.find(isAmountColumn)?.key
    const amount = amountKey && typeof row[amountKey] === 'number' ? formatValueText(row[amountKey] as number, '元') : ''
    return { key: `s${i}`, severity, time, cells, amount, fresh: false }
  })
  const liveRows: Row[] = liveFlags
    .filter((f) => f.receivedAt > since)
    .map((f) => ({
      key: f.flagId,
      severity: f.severity,
      time: formatShortDateTime(f.detectedAt),
      cells: [f.ruleName, f.regionName, f.subject],
      amount: f.amount === null ? '' : formatValueText(f.amount, '元'),
      fresh: true,
    }))
  const rows = [...liveRows, ...serverRows]
  if (rows.length === 0) return <div className="empty">暂无预警</div>
  const scrolls = rows.length > 6
  const list = (copy: number) =>
    rows.map((r) => (
      <li key={`${copy}-${r.key}`} className={`ticker-row ${severityClass[r.severity] ?? ''}${r.fresh ? ' fresh' : ''}`} aria-hidden={copy > 0}>
        <span className="ticker-severity">{r.fresh ? '新' : severityText[r.severity] ?? (r.severity || '预警')}</span>
        <span className="ticker-text">{r.cells.filter(Boolean).join(' · ')}</span>
        <span className="ticker-amount">{r.amount}</span>
        <span className="ticker-time">{r.time}</span>
      </li>
    ))
  return (
    <div className="ticker">
      <ul className={scrolls ? 'ticker-list scrolling' : 'ticker-list'} style={scrolls ? { animationDuration: `${rows.length * 3}s` } : undefined}>
        {list(0)}
        {scrolls && list(1)}
      </ul>
    </div>
  )
}
