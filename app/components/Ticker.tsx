import type { FlagEvent, PanelData } from '../../dashboards/types'
import { formatShortDateTime, formatValueText } from '../lib/format'

const severityText: Record<string, string> = { critical: '重大', warn: '较大', info: '一般' }
/** the ticker metric sends the Chinese label, flag events the key: both map to one style */
const severityClass: Record<string, string> = { critical: 'critical', warn: 'warn', info: 'info', 重大: 'critical', 较大: 'warn', 一般: 'info' }

/** `amount` has its own column so a long village name is cut, never the money */
type Row = { key: string; id: string; regionCode?: string; severity: string; time: string; cells: string[]; amount: string; fresh: boolean }

const isAmountColumn = (c: { key: string; title: string }) => /amount|金额/i.test(c.key + c.title)

/**
 * The scrolling list of newest flags: flags pushed live since the panel's last update come first
 * (marked 新), then the server's list. It scrolls only when it overflows its box.
 */
export function Ticker({ data, liveFlags, since, pinned, flagHref }: {
  data: Extract<PanelData, { kind: 'table' }>
  liveFlags: Array<FlagEvent & { receivedAt: number }>
  since: number
  /** the flag of a critical-flag detour: held at the top while the rest scrolls */
  pinned?: FlagEvent | null
  /** where a flag's row leads (review page: the payment records behind it); none on a wall */
  flagHref?: (flagId: string, regionCode: string) => string
}) {
  const serverRows: Row[] = data.rows.map((row, i) => {
    const severity = String(row.severity ?? '')
    const timeKey = data.columns.find((c) => /time|At$|date/i.test(c.key))?.key
    const time = timeKey ? formatShortDateTime(row[timeKey] as string) : ''
    const cells = data.columns
      .filter((c) => c.key !== timeKey && c.key !== 'severity' && !/id$|code$/i.test(c.key) && !isAmountColumn(c))
      .map((c) => String(row[c.key] ?? ''))
    const amountKey = data.columns.find(isAmountColumn)?.key
    const amount = amountKey && typeof row[amountKey] === 'number' ? formatValueText(row[amountKey] as number, '元') : ''
    return { key: `s${i}`, id: String(row.id ?? ''), regionCode: typeof row.regionCode === 'string' ? row.regionCode : undefined, severity, time, cells, amount, fresh: false }
  })
  const liveRows: Row[] = liveFlags.filter((f) => f.receivedAt > since).map((f) => flagRow(f, true))
  const rows = [...liveRows, ...serverRows].filter((r) => !pinned || r.id !== pinned.flagId)
  if (rows.length === 0 && !pinned) return <div className="empty">暂无预警</div>
  const scrolls = rows.length > (pinned ? 5 : 6)
  const list = (copy: number) => rows.map((r) => <TickerRow key={`${copy}-${r.key}`} row={r} hidden={copy > 0} href={flagHref && r.id && r.regionCode ? flagHref(r.id, r.regionCode) : undefined} />)
  return (
    <div className="ticker">
      {pinned && (
        <ul className="ticker-pinned" data-pinned-flag={pinned.flagId}>
          <TickerRow row={{ ...flagRow(pinned, false), severity: 'critical' }} hidden={false} />
        </ul>
      )}
      <div className="ticker-scroll">
        <ul className={scrolls ? 'ticker-list scrolling' : 'ticker-list'} style={scrolls ? { animationDuration: `${rows.length * 3}s` } : undefined}>
          {list(0)}
          {scrolls && list(1)}
        </ul>
      </div>
    </div>
  )
}

function flagRow(f: FlagEvent, fresh: boolean): Row {
  return {
    key: f.flagId,
    id: f.flagId,
    regionCode: f.regionCode,
    severity: f.severity,
    time: formatShortDateTime(f.detectedAt),
    cells: [f.ruleName, f.regionName, f.subject],
    amount: f.amount === null ? '' : formatValueText(f.amount, '元'),
    fresh,
  }
}

function TickerRow({ row: r, hidden, href }: { row: Row; hidden: boolean; href?: string }) {
  const text = r.cells.filter(Boolean).join(' · ')
  return (
    <li className={`ticker-row ${severityClass[r.severity] ?? ''}${r.fresh ? ' fresh' : ''}`} aria-hidden={hidden} data-flag-id={r.id || undefined}>
      <span className="ticker-severity">{r.fresh ? '新' : severityText[r.severity] ?? (r.severity || '预警')}</span>
      {href ? <a className="ticker-text" href={href} title="查看该预警涉及的发放明细" tabIndex={hidden ? -1 : undefined}>{text}</a> : <span className="ticker-text">{text}</span>}
      <span className="ticker-amount">{r.amount}</span>
      <span className="ticker-time">{r.time}</span>
    </li>
  )
}
