import type { Panel, PanelData } from '../../dashboards/types'
import { formatValue } from '../lib/format'
import { levelOf } from '../lib/thresholds'

/** A big high-contrast number with its unit, coloured by threshold, and the comparison under it. */
export function KpiValue({ panel, data }: { panel: Panel; data: Extract<PanelData, { kind: 'value' }> }) {
  const shown = formatValue(data.value, panel.unit)
  const level = levelOf(panel.thresholds, data.value)
  return (
    <div className={`kpi ${level ?? ''}`}>
      <div className="kpi-number">
        <span className="kpi-digits" data-value={data.value}>{shown.text}</span>
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
