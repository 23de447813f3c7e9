import type { Db } from '../../db/client'
import { maskRecord } from '../../access/mask'
import { DomainError } from '../../domainError'
import { getRule } from '../catalog/index'
import { projectName } from '../../catalogue/projectFacts'
import { scopeCondition } from '../scope'
import { select } from '../sql'
import { amountsWithinScope } from './scopedAmounts'
import { FLAGS_WITH_STATUS, toListItem, type FlagListItem, type FlagRow } from './listFlags'

/** The payment fields a supervisor sees behind a flag; personal ones are masked before they leave. */
const RECORD_COLUMNS = `detail_id, period, project_code, dept, paying_unit, county_code, town_code, village_code,
  person_name, id_number, gender, card_number, account_holder, holder_id_number, bank, phone,
  toFloat64(base_quantity) AS base_quantity, toFloat64(standard) AS standard,
  toFloat64(amount_due) AS amount_due, toFloat64(amount_paid) AS amount_paid,
  pay_time, status, failure_reason, reissue_of, plan_id, voucher_id, proxy_held, proxy_holder_name`

export interface FlagDetail extends FlagListItem {
  explanation: string
  records: Array<Record<string, unknown>>
}

export async function getFlag(db: Db, scope: string, flagId: string): Promise<FlagDetail> {
  const inScope = scopeCondition(scope)
  const [row] = await amountsWithinScope(
    db,
    scope,
    await select<FlagRow & { detail_ids: string[] }>(
      db,
      `SELECT * FROM (${FLAGS_WITH_STATUS}) WHERE flag_id = {flagId:String} AND ${inScope.sql} LIMIT 1`,
      { flagId, ...inScope.params },
    ),
  )
  if (!row) throw new DomainError('notFound', `预警 ${flagId} 不存在或不在您的管辖范围内`)
  const records = row.detail_ids.length
    ? await select<Record<string, unknown>>(
        db,
        `SELECT ${RECORD_COLUMNS} FROM payment_detail
         WHERE detail_id IN {ids:Array(String)} AND ${inScope.sql}
         ORDER BY pay_time LIMIT 50`,
        { ids: row.detail_ids.slice(0, 50), ...inScope.params },
      )
    : []
  return {
    ...toListItem(row),
    explanation: getRule(row.rule_id)?.explanation ?? '',
    records: records.map((record) => ({ ...maskRecord(record), project_name: projectName(String(record.project_code)) })),
  }
}
