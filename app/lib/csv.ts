import type { Panel, PanelData } from '../../dashboards/types'

/**
 * A panel's data as CSV for the minutes: raw numbers (yuan, counts) with the unit in the header,
 * a UTF-8 BOM so Excel opens Chinese text correctly.
 */
export function panelCsv(panel: Panel, data: PanelData): string {
  const unit = panel.unit ? `（${panel.unit === '元' ? '元' : panel.unit}）` : ''
  let rows: Array<Array<string | number | null>>
  switch (data.kind) {
    case 'value':
      rows = [['指标', `数值${unit}`], [panel.title, data.value]]
      if (data.compare) rows.push([data.compare.label, data.compare.value])
      break
    case 'series':
      rows = [['类别', ...data.series.map((s) => s.name)], ...data.categories.map((c, i) => [c, ...data.series.map((s) => s.values[i] ?? null)])]
      break
    case 'regions': {
      const extras = [...new Set(data.rows.flatMap((r) => Object.keys(r.extra ?? {})))]
      rows = [['区划代码', '地区', `数值${unit}`, ...extras], ...data.rows.map((r) => [r.code, r.name, r.value, ...extras.map((k) => r.extra?.[k] ?? null)])]
      break
    }
    case 'table':
      rows = [data.columns.map((c) => c.title), ...data.rows.map((r) => data.columns.map((c) => r[c.key] ?? null))]
      break
    case 'funnel':
      rows = [['环节', `数值${unit}`], ...data.stages.map((s) => [s.name, s.value])]
      break
    case 'notApplicable':
      rows = [['说明'], [data.reason]]
      break
  }
  return '\ufeff' + rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n'
}

function cell(value: string | number | null): string {
  if (value === null) return ''
  const text = String(value)
  // formulas are neutralised: a cell starting with = + - @ is prefixed by a quote
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
