import type { RecordRow } from './listRecords'
import { beijingDateTime } from '../beijingTime'

/**
 * CSV for spreadsheet users: UTF-8 with BOM (Excel on Windows needs it for Chinese), quoted
 * fields, and cells that a spreadsheet would run as a formula prefixed with an apostrophe.
 */
export function toCsv(columns: readonly string[], rows: RecordRow[], options: { titles?: Record<string, string>; preamble?: string } = {}): string {
  const lines = [columns.map((c) => cell(options.titles?.[c] ?? c)).join(',')]
  if (options.preamble) lines.unshift(cell(options.preamble))
  for (const row of rows) lines.push(columns.map((column) => cell((row as Record<string, unknown>)[column])).join(','))
  return '\uFEFF' + lines.join('\r\n') + '\r\n'
}

function cell(value: unknown): string {
  let text = Array.isArray(value) ? value.join(' ') : value === null || value === undefined ? '' : String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) || text.startsWith("'") ? `"${text.replace(/"/g, '""')}"` : text
}

/** Column headers of the records export, in Chinese with units; pay_time is Beijing time as stored. */
export const RECORD_TITLES: Record<string, string> = {
  project_name: '项目名称', detail_id: '明细编号', batch_id: '批次号', period: '期间（年月）', project_code: '项目代码', dept: '主管部门',
  paying_unit: '发放单位', county_code: '区县代码', town_code: '乡镇代码', village_code: '村（社区）代码', household_id: '户编号',
  person_name: '姓名（脱敏）', id_number: '身份证号（脱敏）', gender: '性别', age_years: '年龄（岁）', card_number: '卡号（脱敏）',
  account_holder: '持卡人（脱敏）', holder_id_number: '持卡人身份证号（脱敏）', bank: '代发银行', phone: '手机号（脱敏）',
  base_quantity: '基数', standard: '标准（元）', amount_due: '应发金额（元）', amount_paid: '实发金额（元）', pay_time: '发放时间（北京时间）',
  status: '状态', failure_reason: '失败原因', reissue_of: '补发原明细', plan_id: '用款计划号', voucher_id: '支付凭证号',
  indicator_doc: '指标文号', fund_level: '资金级次', proxy_held: '代管代持', proxy_holder_id: '代管人身份证号（脱敏）',
  proxy_holder_name: '代管人（脱敏）', prereview_hits: '预审命中',
}

/** Beijing time now, as text for people and as a stamp for file names. */
export function beijingStamp(date: Date): { text: string; file: string } {
  const text = beijingDateTime(date)
  return { text, file: `${text.slice(0, 10).replaceAll('-', '')}-${text.slice(11, 16).replace(':', '')}` }
}
