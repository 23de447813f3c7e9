import type { PanelData } from '../../dashboards/types'

/**
 * Wall screens (role 'wall') hang in a room anyone may walk through: they receive aggregates only.
 * Table columns that a metric marks as identifying persons are dropped, whatever masking they had.
 */
export function withoutPersonColumns(data: PanelData, personColumns: readonly string[] | undefined): PanelData {
  if (data.kind !== 'table' || !personColumns?.length) return data
  const drop = new Set(personColumns)
  return {
    kind: 'table',
    columns: data.columns.filter((column) => !drop.has(column.key)),
    rows: data.rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !drop.has(key)))),
  }
}

export function wallRoom(room: string): string {
  return `${room}#wall`
}
