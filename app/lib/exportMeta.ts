import type { Panel } from '../../dashboards/types'

/**
 * What an export must say about itself so it stands alone in the minutes: which theme and panel,
 * which region, which filters and period, the data's 数据截至 (Beijing time) and the units.
 */
export interface ExportContext {
  /** theme title, e.g. 总览 */
  theme: string
  /** region name, e.g. 内江市 / 资中县 */
  region: string
  /** filters in words, e.g. 年度 2024年；项目 全部；部门 全部 */
  filters: string
  /** the period the figures cover, e.g. 2024年 / 全部年度 */
  period: string
}

const BEIJING = 'Asia/Shanghai'

function beijingParts(date: Date): Record<string, string> {
  const formatter = new Intl.DateTimeFormat('en-GB', { timeZone: BEIJING, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
  return Object.fromEntries(formatter.formatToParts(date).map((part) => [part.type, part.value]))
}

/** '2024-10-22 14:05:09' in Beijing time (spreadsheets read it as a date-time), '' when missing. */
export function beijingDateTime(input: string | number | Date | null | undefined): string {
  if (input === null || input === undefined || input === '') return ''
  const date = input instanceof Date ? input : new Date(input)
  if (Number.isNaN(date.getTime())) return ''
  const p = beijingParts(date)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

/** '20241022-1405' Beijing time, for file names. */
export function fileStamp(date: Date = new Date()): string {
  const p = beijingParts(date)
  return `${p.year}${p.month}${p.day}-${p.hour}${p.minute}`
}

/** 监管大屏-总览-各地区发放金额-内江市-20241022-1405.csv: what, where and when, safe on every file system. */
export function exportFileName(context: ExportContext, what: string, extension: string, at: Date = new Date()): string {
  const clean = (text: string) => text.replace(/[\\/:*?"<>|\s（）()]+/g, '')
  return `${['监管大屏', context.theme, what, context.region].map(clean).filter(Boolean).join('-')}-${fileStamp(at)}.${extension}`
}

/** The unit as the export states it: amounts are stored in yuan and drawn in 万元/亿元. */
export function unitText(unit: Panel['unit']): string {
  if (!unit) return '见各列'
  if (unit === '元') return '元（图中“万”为万元、“亿”为亿元）'
  return unit
}

/** The header lines every exported picture carries, title first. */
export function exportHeader(context: ExportContext, title: string, unit: Panel['unit'], asOf: string | null, exportedAt: Date | null = new Date()): string[] {
  return [
    context.theme ? `${context.theme} · ${title}` : title,
    `地区：${context.region}　筛选：${context.filters}　期间：${context.period}　单位：${unitText(unit)}`,
    `数据截至 ${beijingDateTime(asOf) || '—'}（北京时间）${exportedAt ? `　导出于 ${beijingDateTime(exportedAt)}` : ''}`,
  ]
}

/** The first line of an exported CSV: theme, panel, region, filters, period and 数据截至. */
export function csvPreamble(context: ExportContext, title: string, asOf: string | null): string {
  return `主题：${context.theme}；面板：${title}；地区：${context.region}；筛选：${context.filters}；期间：${context.period}；数据截至：${beijingDateTime(asOf) || '—'}（北京时间）`
}
