import { figuresOf, type Panel, type PanelData } from '../../dashboards/types'
import { beijingDateTime, csvPreamble, type ExportContext } from './exportMeta'

/** Extra figures metrics attach to regions, in the words and units of the minutes. */
const EXTRA_TITLES: Record<string, string> = {
  count: '发放人次（人次）',
  persons: '受益人数（人）',
  issued: '下达金额（元）',
  paid: '支付金额（元）',
  verified: '已核实（人）',
  enrolled: '已纳入（人）',
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/
const isAmount = (key: string, title: string) => /amount|金额/i.test(key + title)

/**
 * A panel's data as CSV for the minutes: a first line saying what it is (theme, panel, region,
 * filters, period, 数据截至), Chinese headers with units, raw numbers (yuan, counts), times in
 * Beijing time as the wall shows them, and a UTF-8 BOM so Excel opens Chinese text correctly.
 */
export function panelCsv(panel: Panel, data: PanelData, meta?: { context: ExportContext; asOf: string | null }): string {
  const unit = panel.unit ? `（${panel.unit}）` : ''
  const seriesTitle = (name: string) => (/[（(]/.test(name) || /人次|人数|笔数|户数|条数/.test(name) ? name : `${name}${unit}`)
  let rows: Array<Array<string | number | null>>
  switch (data.kind) {
    case 'value':
      rows = [['指标', `数值${unit}`], [panel.title, data.value]]
      if (data.compare) rows.push([data.compare.label, data.compare.value])
      break
    case 'series': {
      // a category without a figure (a gap) is an empty cell, never 0
      const figures = data.series.map(figuresOf)
      rows = [['类别', ...data.series.map((s) => seriesTitle(s.name))], ...data.categories.map((c, i) => [c, ...figures.map((f) => f[i] ?? null)])]
      break
    }
    case 'regions': {
      const extras = [...new Set(data.rows.flatMap((r) => Object.keys(r.extra ?? {})))]
      rows = [['区划代码', '地区', `数值${unit}`, ...extras.map((k) => EXTRA_TITLES[k] ?? k)], ...data.rows.map((r) => [r.code, r.name, r.note ?? r.value, ...extras.map((k) => r.extra?.[k] ?? null)])]
      break
    }
    case 'table': {
      const isTime = data.columns.map((c) => data.rows.some((r) => typeof r[c.key] === 'string' && ISO_TIME.test(String(r[c.key]))))
      const header = data.columns.map((c, i) => (isTime[i] ? `${c.title}（北京时间）` : isAmount(c.key, c.title) ? `${c.title}（元）` : c.title))
      rows = [header, ...data.rows.map((r) => data.columns.map((c, i) => (isTime[i] && typeof r[c.key] === 'string' ? beijingDateTime(String(r[c.key])) : r[c.key] ?? null)))]
      break
    }
    case 'funnel':
      rows = [['环节', `数值${unit}`], ...data.stages.map((s) => [s.name, s.value])]
      break
    case 'notApplicable':
    case 'pending':
      rows = [['说明'], [data.reason]]
      break
  }
  const lines = rows.map((row) => row.map(cell).join(','))
  if (meta) lines.unshift(cell(csvPreamble(meta.context, panel.title, meta.asOf)))
  return '\ufeff' + lines.join('\r\n') + '\r\n'
}

function cell(value: string | number | null): string {
  if (value === null) return ''
  const text = String(value)
  // formulas are neutralised: a cell starting with = + - @ is prefixed by a quote
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
