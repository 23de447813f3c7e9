import type { RecordRow } from './listRecords'

/**
 * CSV for spreadsheet users: UTF-8 with BOM (Excel on Windows needs it for Chinese), quoted
 * fields, and cells that a spreadsheet would run as a formula prefixed with an apostrophe.
 */
export function toCsv(columns: readonly string[], rows: RecordRow[]): string {
  const lines = [columns.map(cell).join(',')]
  for (const row of rows) lines.push(columns.map((column) => cell((row as Record<string, unknown>)[column])).join(','))
  return '\uFEFF' + lines.join('\r\n') + '\r\n'
}

function cell(value: unknown): string {
  let text = Array.isArray(value) ? value.join(' ') : value === null || value === undefined ? '' : String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) || text.startsWith("'") ? `"${text.replace(/"/g, '""')}"` : text
}
