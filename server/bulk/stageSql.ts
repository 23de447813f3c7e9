import { regionsAtLevel } from '../../geo/regions'
import { departments, projects } from '../catalogue'
import { ingestLimits } from '../ingest/limits'
import { beijingDateTime } from '../beijingTime'
import type { FileKind, FileLayout } from './bankConfig'
import {
  amountOk, amountValue, canonicalTime, dateParts, isCanonicalTime, HIDDEN, idNumberReason, isRealDateTime, NO_PROBLEM, PERSON_NAME, problem, RECORD_ID, toDate32, toTime,
} from './sqlChecks'

/**
 * The one statement that reads a chunk of a bank file through ClickHouse's CSV input format and
 * writes it, checked, into the load's staging table: every row with its line, the list of what is
 * wrong with it (field, reason), and its values typed as payment_detail's columns (placeholders
 * where a value is wrong: such a row is never moved). Duplicates within the file and clashes with
 * stored payments are set-wide checks, done after all chunks are in (loadFile.ts).
 */

export const REQUIRED: Record<FileKind, readonly string[]> = {
  payroll: ['detail_id', 'person_name', 'id_number', 'card_number', 'amount_paid', 'pay_time', 'project', 'village_code'],
  return: ['detail_id', 'status'],
}

export class FileLayoutError extends Error {}

/** Column index of each mapped field in this file's header; refuses a file missing a required column. */
export function mapHeader(header: string[], layout: FileLayout, kind: FileKind): Map<string, number> {
  const at = new Map<string, number>()
  for (const [name, field] of Object.entries(layout.columns)) {
    const index = header.indexOf(name)
    if (index !== -1) at.set(field, index)
  }
  const missing = REQUIRED[kind].filter((field) => !at.has(field))
  if (missing.length > 0) {
    const headerOf = (field: string) => Object.entries(layout.columns).find(([, f]) => f === field)?.[0] ?? '(not in the mapping)'
    throw new FileLayoutError(`line 1: the header lacks ${missing.map((field) => `${headerOf(field)} (${field})`).join(', ')}; it has: ${header.join(', ')}`)
  }
  return at
}

/** The raw columns of a chunk as ClickHouse reads it: c0, c1, … all String, in file order. */
export const structureOf = (header: string[]) => header.map((_, i) => `c${i} String`).join(', ')

/** Parameters every staging statement uses: catalogue, regions, limits and the bank's codes. */
export function stageParams(layout: FileLayout, bank: string, now = Date.now()) {
  const villages = regionsAtLevel('village')
  const towns = regionsAtLevel('town')
  const codes = Object.entries(layout.statusCodes)
  return {
    bank,
    today8: beijingDateTime(now).slice(0, 10).replaceAll('-', ''),
    earliestPay: ingestLimits.earliestPayTime,
    latestPay: beijingDateTime(now + ingestLimits.futureSlackMs),
    maxYuan: String(ingestLimits.maxPaymentYuan),
    villageCodes: villages.map((v) => v.code),
    villageTowns: villages.map((v) => v.parent!),
    townCodes: towns.map((t) => t.code),
    townCounties: towns.map((t) => t.parent!),
    departments: [...departments],
    projectCodes: projects.map((p) => p.code),
    projectNames: projects.map((p) => p.name),
    projectDepts: projects.map((p) => p.dept),
    projectFundLevels: projects.map((p) => p.fundLevel),
    statusFrom: codes.map(([from]) => from),
    statusTo: codes.map(([, to]) => to),
    defaultStatus: layout.defaults.status ?? '',
    defaultPayingUnit: layout.defaults.paying_unit ?? '',
    defaultFundLevel: layout.defaults.fund_level ?? '',
    maxYear: Number(beijingDateTime(now).slice(0, 4)) + 1,
  }
}

interface Source {
  /** `file('…', 'CSV', '…')` or `input('…')`, built by the caller from whitelisted parts */
  from: string
  /** the record's line in the bank file, over the source's own columns (see loadFile.ts) */
  line: string
}

/** Status as written (the bank's code or the status itself) → one of the four, '' if unknown. */
const statusOf = (raw: string) => `if(has(['成功', '失败', '退回', '在途'], ${raw}), ${raw}, transform(${raw}, {statusFrom:Array(String)}, {statusTo:Array(String)}, ''))`

export function payrollStageSql(table: string, columns: Map<string, number>, layout: FileLayout, excelSerials: boolean, source: Source): string {
  const raw = (field: string) => (columns.has(field) ? `trimBoth(c${columns.get(field)})` : "''")
  const has = (field: string) => columns.has(field)
  const unit = layout.amountUnit
  const amount = (field: string, fallback: string) =>
    has(field) ? `if(r_${field} = '', ${fallback}, ${amountValue(`r_${field}`, unit)})` : fallback
  const amountProblem = (field: string, required: boolean) =>
    `if(r_${field} = '', ${required ? `('${field}', 'is required')` : NO_PROBLEM}, if(NOT ${amountOk(`r_${field}`, unit)}, ('${field}', '${unit === '元' ? 'must be an amount in 元 with at most two decimals' : 'must be a whole number of 分'}'), if(${amountValue(`r_${field}`, unit)} > toDecimal64({maxYuan:String}, 2), ('${field}', 'is above the largest single payment'), ${NO_PROBLEM})))`
  const idLike = (field: string, required: boolean) =>
    `if(r_${field} = '', ${required ? `('${field}', 'is required')` : NO_PROBLEM}, ${problem(field, `NOT match(r_${field}, '${RECORD_ID}')`, 'must be 1–64 ASCII letters, digits, signs or Chinese characters, without spaces or invisible characters')})`
  const fields = [
    'detail_id', 'period', 'project', 'dept', 'paying_unit', 'county_code', 'town_code', 'village_code', 'household_id', 'person_name',
    'id_number', 'gender', 'birth_date', 'card_number', 'account_holder', 'holder_id_number', 'phone', 'base_quantity', 'standard',
    'amount_due', 'amount_paid', 'pay_time', 'status', 'failure_reason', 'reissue_of', 'plan_id', 'voucher_id', 'indicator_doc', 'fund_level',
  ]
  // The 身份证号 is checked once per row (e_id_reason); gender and birth date come from a valid one.
  const idFromId = (v: string) => (v === 'r_id_number' ? "e_id_reason = ''" : `${idNumberReason(v)} = ''`)
  return `INSERT INTO ${table}
  (line, problems, detail_id, batch_id, period, project_code, dept, paying_unit, county_code, town_code, village_code, household_id,
   person_name, id_number, gender, birth_date, card_number, account_holder, holder_id_number, bank, phone, base_quantity, standard,
   amount_due, amount_paid, pay_time, status, failure_reason, reissue_of, plan_id, voucher_id, indicator_doc, fund_level, proxy_held,
   proxy_holder_id, proxy_holder_name, prereview_hits)
SELECT
  row_line AS line,
  arrayFilter(p -> p.1 != '', [
    ${idLike('detail_id', true)},
    if(r_period = '', ${NO_PROBLEM}, ${problem('period', `NOT (match(r_period, '^\\\\d{6}$') AND toUInt16OrZero(substring(r_period, 1, 4)) BETWEEN 2018 AND {maxYear:UInt16} AND toUInt8OrZero(substring(r_period, 5, 2)) BETWEEN 1 AND 12)`, 'must be a month YYYYMM from 201801 to next year')}),
    ${problem('project', "v_project_code = ''", 'is not a project in the catalogue (code or name)')},
    ${problem('dept', "v_project_code != '' AND NOT has({departments:Array(String)}, v_dept)", 'is not a department in the catalogue')},
    ${problem('paying_unit', "v_paying_unit = ''", 'is required (column or the bank default)')},
    ${problem('village_code', 'r_village_code NOT IN {villageCodes:Array(String)}', 'is not a known village code')},
    ${problem('town_code', "r_town_code != '' AND r_town_code != v_town_code", 'town does not contain village_code')},
    ${problem('county_code', "r_county_code != '' AND r_county_code != v_county_code", 'county does not contain village_code')},
    ${has('household_id') ? idLike('household_id', false) : NO_PROBLEM},
    if(r_person_name = '', ('person_name', 'is required'), ${problem('person_name', `NOT match(r_person_name, '${PERSON_NAME}') OR lengthUTF8(r_person_name) > 50`, 'must be a name in Chinese characters (· between parts) or Latin letters')}),
    if(e_id_reason != '', ('id_number', e_id_reason), ${NO_PROBLEM}),
    ${problem('gender', "r_gender != '' AND NOT has(['男', '女', '1', '2'], r_gender)", 'must be 男 or 女 (or 1 / 2)')},
    ${problem('birth_date', `r_birth_date != '' AND NOT ${isRealDateTime('g_birth')}`, 'must be a real date (2024-05-03, 2024/5/3, 20240503)')},
    ${problem('birth_date', `v_birth_date > toDate32(v_pay_time)`, 'must not be after pay_time')},
    ${problem('card_number', "NOT match(r_card_number, '^\\\\d{12,19}$')", 'must be 12–19 digits')},
    ${problem('account_holder', `r_account_holder != '' AND NOT match(r_account_holder, '${PERSON_NAME}')`, 'must be a name in Chinese characters (· between parts) or Latin letters')},
    if(r_holder_id_number != '' AND e_holder_reason != '', ('holder_id_number', e_holder_reason), ${NO_PROBLEM}),
    ${problem('phone', "NOT match(r_phone, '^(1\\\\d{10}|0\\\\d{2,3}-?\\\\d{7,8})?$')", 'must be empty, a mobile number or a landline')},
    ${has('base_quantity') ? amountProblem('base_quantity', false) : NO_PROBLEM},
    ${has('standard') ? amountProblem('standard', false) : NO_PROBLEM},
    ${has('amount_due') ? amountProblem('amount_due', false) : NO_PROBLEM},
    ${amountProblem('amount_paid', true)},
    if(r_pay_time = '', ('pay_time', 'is required'), if(NOT ok_pay, ('pay_time', 'must be a real date or time (2024-05-03 10:00:00, 20240503)'),
      ${problem('pay_time', 'v_pay_time < toDateTime({earliestPay:String}, \'Asia/Shanghai\') OR v_pay_time > toDateTime({latestPay:String}, \'Asia/Shanghai\')', 'must lie between 2018-01-01 and one day from now')})),
    ${problem('status', "v_status = ''", 'is not a status (成功/失败/退回/在途) nor a status code of this bank')},
    ${problem('failure_reason', `lengthUTF8(r_failure_reason) > 200 OR match(r_failure_reason, '${HIDDEN}')`, 'must be at most 200 characters, without invisible characters')},
    ${has('reissue_of') ? idLike('reissue_of', false) : NO_PROBLEM},
    ${has('plan_id') ? idLike('plan_id', false) : NO_PROBLEM},
    ${has('voucher_id') ? idLike('voucher_id', false) : NO_PROBLEM},
    ${has('indicator_doc') ? idLike('indicator_doc', false) : NO_PROBLEM},
    ${problem('fund_level', "v_project_code != '' AND NOT has(['中央', '省', '市', '县'], v_fund_level)", 'must be 中央, 省, 市 or 县')}
  ]) AS problems,
  r_detail_id,
  {batchId:String},
  if(r_period = '', toYYYYMM(v_pay_time), toUInt32OrZero(r_period)),
  v_project_code,
  if(r_dept = '', transform(v_project_code, {projectCodes:Array(String)}, {projectDepts:Array(String)}, ''), r_dept) AS v_dept,
  v_paying_unit,
  v_county_code,
  v_town_code,
  r_village_code,
  if(r_household_id = '', r_id_number, r_household_id),
  r_person_name,
  r_id_number,
  CAST(multiIf(r_gender IN ('男', '1'), '男', r_gender IN ('女', '2'), '女', ${idFromId('r_id_number')} AND toUInt8OrZero(substring(r_id_number, 17, 1)) % 2 = 0, '女', '男'), 'Enum8(\\'男\\' = 1, \\'女\\' = 2)'),
  v_birth_date,
  r_card_number,
  if(r_account_holder = '', r_person_name, r_account_holder),
  if(r_holder_id_number = '', r_id_number, r_holder_id_number),
  {bank:String},
  r_phone,
  ${amount('base_quantity', 'toDecimal64(1, 2)')},
  ${amount('standard', 'v_amount_due')},
  v_amount_due,
  v_amount_paid,
  v_pay_time,
  CAST(if(v_status = '', '在途', v_status), 'Enum8(\\'成功\\' = 1, \\'失败\\' = 2, \\'退回\\' = 3, \\'在途\\' = 4)'),
  r_failure_reason,
  r_reissue_of,
  r_plan_id,
  r_voucher_id,
  r_indicator_doc,
  CAST(if(has(['中央', '省', '市', '县'], v_fund_level), v_fund_level, '县'), 'Enum8(\\'中央\\' = 1, \\'省\\' = 2, \\'市\\' = 3, \\'县\\' = 4)'),
  0, '', '', []
FROM (
  SELECT *,
    ${fields.map((field) => `${raw(field)} AS r_${field}`).join(',\n    ')},
    ${idNumberReason('r_id_number')} AS e_id_reason,
    if(r_holder_id_number = '', '', ${idNumberReason('r_holder_id_number')}) AS e_holder_reason,
    ${dateParts('r_pay_time', excelSerials)} AS g_pay,
    ${dateParts('r_birth_date', excelSerials)} AS g_birth,
    ${canonicalTime('r_pay_time')} AS f_pay,
    ${isCanonicalTime('f_pay', 'r_pay_time')} AS fast_pay,
    -- Lazily evaluated: the bank forms (g_pay) are parsed only where the canonical text is not.
    fast_pay OR ${isRealDateTime('g_pay')} AS ok_pay,
    if(fast_pay, assumeNotNull(f_pay), ${toTime('g_pay')}) AS v_pay_time,
    if(r_birth_date = '',
       if(${idFromId('r_id_number')}, makeDate32(toUInt16OrZero(substring(r_id_number, 7, 4)), toUInt8OrZero(substring(r_id_number, 11, 2)), toUInt8OrZero(substring(r_id_number, 13, 2))), toDate32('1900-01-01')),
       ${toDate32('g_birth')}) AS v_birth_date,
    if(has({projectCodes:Array(String)}, r_project), r_project, transform(r_project, {projectNames:Array(String)}, {projectCodes:Array(String)}, '')) AS v_project_code,
    transform(r_village_code, {villageCodes:Array(String)}, {villageTowns:Array(String)}, '') AS v_town_code,
    transform(v_town_code, {townCodes:Array(String)}, {townCounties:Array(String)}, '') AS v_county_code,
    if(r_paying_unit = '', {defaultPayingUnit:String}, r_paying_unit) AS v_paying_unit,
    multiIf(r_fund_level != '', r_fund_level, {defaultFundLevel:String} != '', {defaultFundLevel:String},
            transform(v_project_code, {projectCodes:Array(String)}, {projectFundLevels:Array(String)}, '')) AS v_fund_level,
    if(r_status = '', {defaultStatus:String}, ${statusOf('r_status')}) AS v_status,
    ${has('amount_paid') ? amountValue('r_amount_paid', unit) : 'toDecimal64(0, 2)'} AS v_amount_paid,
    ${amount('amount_due', 'v_amount_paid')} AS v_amount_due,
    ${source.line} AS row_line
  FROM ${source.from}
)
-- A blank line (every field empty) is no record.
WHERE NOT (${fields.filter(has).map((field) => `r_${field} = ''`).join(' AND ')})`
}

export function returnStageSql(table: string, columns: Map<string, number>, source: Source): string {
  const raw = (field: string) => (columns.has(field) ? `trimBoth(c${columns.get(field)})` : "''")
  const fields = ['detail_id', 'status', 'failure_reason', 'account_holder', 'holder_id_number']
  return `INSERT INTO ${table} (line, problems, detail_id, status, failure_reason, account_holder, holder_id_number)
SELECT
  row_line AS line,
  arrayFilter(p -> p.1 != '', [
    if(r_detail_id = '', ('detail_id', 'is required'), ${problem('detail_id', `NOT match(r_detail_id, '${RECORD_ID}')`, 'must be 1–64 ASCII letters, digits, signs or Chinese characters, without spaces or invisible characters')}),
    if(r_status = '', ('status', 'is required'), ${problem('status', "v_status = ''", 'is not a status (成功/失败/退回/在途) nor a status code of this bank')}),
    ${problem('status', "v_status = '在途'", 'a return reports a result: 成功, 失败 or 退回')},
    ${problem('failure_reason', "v_status IN ('失败', '退回') AND r_failure_reason = ''", 'is required for a failed or returned payment (日销号: every failure traced with its cause)')},
    ${problem('failure_reason', `lengthUTF8(r_failure_reason) > 200 OR match(r_failure_reason, '${HIDDEN}')`, 'must be at most 200 characters, without invisible characters')},
    ${problem('account_holder', `r_account_holder != '' AND NOT match(r_account_holder, '${PERSON_NAME}')`, 'must be a name in Chinese characters (· between parts) or Latin letters')},
    if(r_holder_id_number != '' AND ${idNumberReason('r_holder_id_number')} != '', ('holder_id_number', ${idNumberReason('r_holder_id_number')}), ${NO_PROBLEM})
  ]) AS problems,
  r_detail_id, v_status, r_failure_reason, r_account_holder, r_holder_id_number
FROM (
  SELECT *,
    ${fields.map((field) => `${raw(field)} AS r_${field}`).join(',\n    ')},
    ${statusOf('r_status')} AS v_status,
    ${source.line} AS row_line
  FROM ${source.from}
)
WHERE NOT (${fields.filter((f) => columns.has(f)).map((field) => `r_${field} = ''`).join(' AND ')})`
}
