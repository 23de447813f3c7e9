import { maskPersonSql } from '../maskSql'
import type { RunMode } from '../types'

/**
 * Column lists shared by the rule SQL, so every rule returns the same shape (types.ts RuleCaseRow).
 * The argument is a table alias written in the rule file, never a value.
 */

/** One payment is the case: case_key = detail_id. */
export function detailCaseColumns(d: string): string {
  return `${d}.detail_id AS case_key,
       ${d}.county_code AS county_code, ${d}.town_code AS town_code, ${d}.village_code AS village_code,
       toFloat64(${d}.amount_paid) AS amount,
       ${maskPersonSql(`${d}.person_name`, `${d}.id_number`)} AS subject,
       [${d}.detail_id] AS detail_ids,
       now64(3, 'Asia/Shanghai') AS detected_at`
}

/**
 * A group of payments is the case (inside GROUP BY): the region of its newest payment, the amount
 * paid, up to 50 records behind it.
 */
export function groupCaseColumns(caseKey: string, subject: string): string {
  return `${caseKey} AS case_key,
       argMax(county_code, pay_time) AS county_code, argMax(town_code, pay_time) AS town_code,
       argMax(village_code, pay_time) AS village_code,
       toFloat64(sum(amount_paid)) AS amount,
       ${subject} AS subject,
       arraySort(groupUniqArray(50)(detail_id)) AS detail_ids,
       now64(3, 'Asia/Shanghai') AS detected_at`
}

/** Person subject for a grouped case. */
export const groupPersonSubject = maskPersonSql('any(person_name)', 'id_number')

/** Payments that put money (or are putting it) on a card: the ones a duplicate or an overpayment is about. */
export const PAID = `status IN ('成功', '在途')`

/**
 * Incremental runs look only at cases touched by newly ingested rows: `expr` (a key of the case,
 * usually a cityHash64 of its columns, so the IN-set holds numbers, not strings) must be among the
 * keys of rows ingested after the watermark. Full passes need no filter and get none.
 */
export function touched(mode: RunMode, expr: string): string {
  return mode === 'incremental' ? `AND ${expr} IN (SELECT ${expr} FROM payment_detail WHERE ingested_at > {since:DateTime64(3)})` : ''
}

/**
 * Incremental runs of rules whose case belongs to one person: only the payments of people with a
 * newly ingested row. Filtering on the id column first (a small IN-set of strings) spares hashing
 * every payment: on 2.5 M payments it cut an incremental R02 from 0.7 s to a tenth of that.
 */
export function personTouched(mode: RunMode): string {
  return mode === 'incremental' ? 'AND id_number IN (SELECT id_number FROM payment_detail WHERE ingested_at > {since:DateTime64(3)})' : ''
}

/** Rows ingested after the watermark (incremental) or every row (full). */
export function ingestedSince(mode: RunMode, alias = ''): string {
  return mode === 'incremental' ? `AND ${alias ? `${alias}.` : ''}ingested_at > {since:DateTime64(3)}` : ''
}
