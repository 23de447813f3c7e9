'use client'

import { useLayoutEffect, useRef, useState } from 'react'
import type { Panel, PanelData } from '../../dashboards/types'
import { formatValue } from '../lib/format'
import { levelOf } from '../lib/thresholds'

/** A big high-contrast number with its unit, coloured by threshold, and the comparison under it. */
export function KpiValue({ panel, data }: { panel: Panel; data: Extract<PanelData, { kind: 'value' }> }) {
  const shown = formatValue(data.value, panel.unit)
  const level = levelOf(panel.thresholds, data.value)
  const { box, digits, fit } = useFitDigits(shown.text)
  return (
    <div className={`kpi ${level ?? ''}`} ref={box}>
      <div className="kpi-number" style={fit < 1 ? ({ '--kpi-fit': fit } as React.CSSProperties) : undefined}>
        <span className="kpi-digits" data-value={data.value} ref={digits}>{shown.text}</span>
        <span className="kpi-unit">{shown.unit}</span>
      </div>
      {data.compare && (
        <div className="kpi-compare">
          {data.compare.label} {formatValue(data.compare.value, panel.unit).text}
          {formatValue(data.compare.value, panel.unit).unit}
        </div>
      )}
      {data.note && <div className="kpi-compare kpi-note">{data.note}</div>}
    </div>
  )
}

/**
 * Shrinks the digits (never the unit) when the number is wider than its panel, as on a 1366×768
 * wall or a narrow review column: a KPI shows its whole value and unit, never a cut one.
 */
function useFitDigits(text: string) {
  const box = useRef<HTMLDivElement>(null)
  const digits = useRef<HTMLSpanElement>(null)
  const [fit, setFit] = useState(1)
  useLayoutEffect(() => {
    const measure = () => {
      const el = box.current
      const d = digits.current
      if (!el || !d) return
      const row = d.parentElement!
      const style = getComputedStyle(el)
      const available = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      // what sits beside the digits on their line: the unit and the gap before it
      const unit = d.nextElementSibling as HTMLElement | null
      const rest = (unit?.offsetWidth ?? 0) + (parseFloat(getComputedStyle(row).columnGap) || 0)
      setFit((current) => {
        const natural = d.offsetWidth / current
        const next = Math.min(1, Math.max(0.4, ((available - rest) * 0.98) / natural))
        return Math.abs(next - current) < 0.01 ? current : next
      })
    }
    measure()
    // the digits too: a web font arriving late changes their width, not the box's
    const observer = new ResizeObserver(measure)
    if (box.current) observer.observe(box.current)
    if (digits.current) observer.observe(digits.current)
    void document.fonts?.ready.then(measure)
    return () => observer.disconnect()
  }, [text])
  return { box, digits, fit }
}
