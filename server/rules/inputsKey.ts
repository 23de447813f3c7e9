import type { TableVersions } from '../db/tableVersions'
import type { RuleTable } from './types'

/** What a rule's result depends on: the evaluation day and the versions of the tables it reads. */
export function inputsKey(day: string, tables: readonly RuleTable[], versions: TableVersions): string {
  return [day, ...tables.map((table) => `${table}=${versions.get(table) ?? 'empty'}`)].join('|')
}
