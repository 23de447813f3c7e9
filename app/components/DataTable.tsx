import type { PanelData } from '../../dashboards/types'
import { formatShortDateTime, formatValueText } from '../lib/format'

/** A plain table; numbers right-aligned, amounts in 万元/亿元, ISO times in Chinese. */
export function DataTable({ data, maxRows = 50 }: { data: Extract<PanelData, { kind: 'table' }>; maxRows?: number }) {
  if (data.rows.length === 0) return <div className="empty">暂无数据</div>
  return (
    <div className="data-table-box">
      <table className="data-table">
        <thead>
          <tr>{data.columns.map((c) => <th key={c.key}>{c.title}</th>)}</tr>
        </thead>
        <tbody>
          {data.rows.slice(0, maxRows).map((row, i) => (
            <tr key={i}>
              {data.columns.map((c) => (
                <td key={c.key} className={typeof row[c.key] === 'number' ? 'num' : undefined}>{cellText(c.key, c.title, row[c.key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function cellText(key: string, title: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return /amount|金额/i.test(key + title) ? formatValueText(value, '元') : value.toLocaleString('zh-CN')
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return formatShortDateTime(value)
  return value
}
