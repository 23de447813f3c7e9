'use client'

import { useEffect, useRef, useState } from 'react'
import type { PanelData } from '../../dashboards/types'
import { cellText } from './DataTable'

type TableData = Extract<PanelData, { kind: 'table' }>

/** Seconds each row takes to pass: slow enough to read a row from across the room. */
const SECONDS_PER_ROW = 3

/**
 * A wall table that shows every row: when the rows do not fit, the body scrolls by itself (轮播,
 * paused under the mouse) under a fixed header, and the foot says 「共 N 条」. Header and body are
 * two tables sharing one set of column widths (table-layout: fixed), so a header sits over its own
 * cells; number columns are right-aligned in both.
 */
export function ScrollingTable({ data }: { data: TableData }) {
  const box = useRef<HTMLDivElement>(null)
  const body = useRef<HTMLTableSectionElement>(null)
  const [overflows, setOverflows] = useState(false)
  useEffect(() => {
    const measure = () => setOverflows(Boolean(box.current && body.current && body.current.offsetHeight > box.current.clientHeight + 1))
    measure()
    const observer = new ResizeObserver(measure)
    if (box.current) observer.observe(box.current)
    if (body.current) observer.observe(body.current)
    return () => observer.disconnect()
  }, [data])

  if (data.rows.length === 0) return <div className="empty">暂无数据</div>
  const numeric = data.columns.map((c) => data.rows.some((r) => typeof r[c.key] === 'number'))
  const widths = columnWidths(data)
  const cols = <colgroup>{widths.map((w, i) => <col key={data.columns[i].key} style={{ width: `${w}%` }} />)}</colgroup>
  const rows = (copy: number) => (
    <tbody ref={copy === 0 ? body : undefined} aria-hidden={copy > 0 || undefined} data-copy={copy}>
      {data.rows.map((row, i) => (
        <tr key={`${copy}-${i}`}>
          {data.columns.map((c, j) => {
            const text = cellText(c.key, c.title, row[c.key])
            return <td key={c.key} className={numeric[j] ? 'num' : undefined} title={text}>{text}</td>
          })}
        </tr>
      ))}
    </tbody>
  )
  return (
    <div className="scroll-table" data-rows={data.rows.length} data-scrolling={overflows ? 'true' : 'false'}>
      <table className="data-table scroll-table-head">
        {cols}
        <thead>
          <tr>{data.columns.map((c, j) => <th key={c.key} className={numeric[j] ? 'num' : undefined}>{c.title}</th>)}</tr>
        </thead>
      </table>
      <div className="scroll-table-body" ref={box}>
        <table className={`data-table scroll-table-rows${overflows ? ' scrolling' : ''}`} style={overflows ? { animationDuration: `${data.rows.length * SECONDS_PER_ROW}s` } : undefined}>
          {cols}
          {rows(0)}
          {overflows && rows(1)}
        </table>
      </div>
      <div className="scroll-table-count" data-count={data.rows.length}>共 {data.rows.length} 条</div>
    </div>
  )
}

/** Column widths in percent from the longest text of each column (header included), within bounds. */
export function columnWidths(data: TableData): number[] {
  const weights = data.columns.map((c) => {
    const longest = Math.max(textWidth(c.title), ...data.rows.slice(0, 50).map((r) => textWidth(cellText(c.key, c.title, r[c.key]))))
    return Math.min(24, Math.max(4, longest))
  })
  const total = weights.reduce((a, b) => a + b, 0)
  return weights.map((w) => Math.round((1000 * w) / total) / 10)
}

/** CJK characters are about twice as wide as digits and Latin letters. */
function textWidth(text: string): number {
  let width = 0
  for (const ch of text) width += /[\u0000-\u00ff]/.test(ch) ? 1 : 2
  return width + 2
}
