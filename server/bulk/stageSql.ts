import { regionsAtLevel } from '../../geo/regions'
import { departments, projects } from '../catalogue'
import { ingestLimits } from '../ingest/limits'
import { beijingDateTime } from '../beijingTime'
import type { FileKind, FileLayout } from './bankConfig'
import {
  amountOk, amountValue, canonicalTime, dateParts, isCanonicalTime, HIDDEN, idNumberReason, isRealDateTime, PERSON_NAME, problem, problemsOf, RECORD_ID, toDate32, toTime,
  type Verdicts,
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
  // Each check is written for the given verdicts (sqlChecks.ts): as problems, or as flags.
  const amountProblem = (v: Verdicts, field: string, required: boolean) =>
    `if(r_${field} = '', ${required ? v.bad(field, "'is required'") : v.none}, if(NOT ${amountOk(`r_${field}`, unit)}, ${v.bad(field, `'${unit === '元' ? 'must be an amount in 元 with at most two decimals' : 'must be a whole number of 分'}'`)}, if(${amountValue(`r_${field}`, unit)} > toDecimal64({maxYuan:String}, 2), ${v.bad(field, "'is above the largest single payment'")}, ${v.none})))`
  const idLike = (v: Verdicts, field: string, required: boolean) =>
    `if(r_${field} = '', ${required ? v.bad(field, "'is required'") : v.none}, ${problem(field, `NOT match(r_${field}, '${RECORD_ID}')`, 'must be 1–64 ASCII letters, digits, signs or Chinese characters, without spaces or invisible characters', v)})`
  const fields = [
    'detail_id', 'period', 'project', 'dept', 'paying_unit', 'county_code', 'town_code', 'village_code', 'household_id', 'person_name',
    'id_number', 'gender', 'birth_date', 'card_number', 'account_holder', 'holder_id_number', 'phone', 'base_quantity', 'standard',
    'amount_due', 'amount_paid', 'pay_time', 'status', 'failure_reason', 'reissue_of', 'plan_id', 'voucher_id', 'indicator_doc', 'fund_level',
  ]
  const checks = (v: Verdicts): string[] => {
    const p = (field: string, condition: string, reason: string) => problem(field, condition, reason, v)
    return [
      idLike(v, 'detail_id', true),
      `if(r_period = '', ${v.none}, ${p('period', `NOT (match(r_period, '^\\\\d{6}$') AND toUInt16OrZero(substring(r_period, 1, 4)) BETWEEN 2018 AND {maxYear:UInt16} AND toUInt8OrZero(substring(r_period, 5, 2)) BETWEEN 1 AND 12)`, 'must be a month YYYYMM from 201801 to next year')})`,
      p('project', "v_project_code = ''", 'is not a project in the catalogue (code or name)'),
      p('dept', "v_project_code != '' AND NOT has({departments:Array(String)}, v_dept)", 'is not a department in the catalogue'),
      p('paying_unit', "v_paying_unit = ''", 'is required (column or the bank default)'),
      p('village_code', 'r_village_code NOT IN {villageCodes:Array(String)}', 'is not a known village code'),
      p('town_code', "r_town_code != '' AND r_town_code != v_town_code", 'town does not contain village_code'),
      p('county_code', "r_county_code != '' AND r_county_code != v_county_code", 'county does not contain village_code'),
      has('household_id') ? idLike(v, 'household_id', false) : v.none,
      `if(r_person_name = '', ${v.bad('person_name', "'is required'")}, ${p('person_name', `NOT match(r_person_name, '${PERSON_NAME}') OR lengthUTF8(r_person_name) > 50`, 'must be a name in Chinese characters (· between parts) or Latin letters')})`,
      `if(e_id_reason != '', ${v.bad('id_number', 'e_id_reason')}, ${v.none})`,
      p('gender', "r_gender != '' AND NOT has(['男', '女', '1', '2'], r_gender)", 'must be 男 or 女 (or 1 / 2)'),
      p('birth_date', `r_birth_date != '' AND NOT ${isRealDateTime('g_birth')}`, 'must be a real date (2024-05-03, 2024/5/3, 20240503)'),
      p('birth_date', `v_birth_date > toDate32(v_pay_time)`, 'must not be after pay_time'),
      p('card_number', "NOT match(r_card_number, '^\\\\d{12,19}$')", 'must be 12–19 digits'),
      p('account_holder', `r_account_holder != '' AND NOT match(r_account_holder, '${PERSON_NAME}')`, 'must be a name in Chinese characters (· between parts) or Latin letters'),
      `if(r_holder_id_number != '' AND e_holder_reason != '', ${v.bad('holder_id_number', 'e_holder_reason')}, ${v.none})`,
      p('phone', "NOT match(r_phone, '^(1\\\\d{10}|0\\\\d{2,3}-?\\\\d{7,8})?$')", 'must be empty, a mobile number or a landline'),
      has('base_quantity') ? amountProblem(v, 'base_quantity', false) : v.none,
      has('standard') ? amountProblem(v, 'standard', false) : v.none,
      has('amount_due') ? amountProblem(v, 'amount_due', false) : v.none,
      amountProblem(v, 'amount_paid', true),
      `if(r_pay_time = '', ${v.bad('pay_time', "'is required'")}, if(NOT ok_pay, ${v.bad('pay_time', "'must be a real date or time (2024-05-03 10:00:00, 20240503)'")},
      ${p('pay_time', 'v_pay_time < toDateTime({earliestPay:String}, \'Asia/Shanghai\') OR v_pay_time > toDateTime({latestPay:String}, \'Asia/Shanghai\')', 'must lie between 2018-01-01 and one day from now')}))`,
      p('status', "v_status = ''", 'is not a status (成功/失败/退回/在途) nor a status code of this bank'),
      p('failure_reason', `lengthUTF8(r_failure_reason) > 200 OR match(r_failure_reason, '${HIDDEN}')`, 'must be at most 200 characters, without invisible characters'),
      has('reissue_of') ? idLike(v, 'reissue_of', false) : v.none,
      has('plan_id') ? idLike(v, 'plan_id', false) : v.none,
      has('voucher_id') ? idLike(v, 'voucher_id', false) : v.none,
      has('indicator_doc') ? idLike(v, 'indicator_doc', false) : v.none,
      p('fund_level', "v_project_code != '' AND NOT has(['中央', '省', '市', '县'], v_fund_level)", 'must be 中央, 省, 市 or 县'),
    ]
  }
  // The 身份证号 is checked once per row (e_id_reason); gender and birth date come from a valid one.
  const idFromId = (v: string) => (v === 'r_id_number' ? "e_id_reason = ''" : `${idNumberReason(v)} = ''`)
  return `INSERT INTO ${table}
  (line, problems, detail_id, batch_id, period, project_code, dept, paying_unit, county_code, town_code, village_code, household_id,
   person_name, id_number, gender, birth_date, card_number, account_holder, holder_id_number, bank, phone, base_quantity, standard,
   amount_due, amount_paid, pay_time, status, failure_reason, reissue_of, plan_id, voucher_id, indicator_doc, fund_level, proxy_held,
   proxy_holder_id, proxy_holder_name, prereview_hits)
SELECT
  row_line AS line,
  ${problemsOf(checks)} AS problems,
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
  const checks = (v: Verdicts): string[] => {
    const p = (field: string, condition: string, reason: string) => problem(field, condition, reason, v)
    return [
      `if(r_detail_id = '', ${v.bad('detail_id', "'is required'")}, ${p('detail_id', `NOT match(r_detail_id, '${RECORD_ID}')`, 'must be 1–64 ASCII letters, digits, signs or Chinese characters, without spaces or invisible characters')})`,
      `if(r_status = '', ${v.bad('status', "'is required'")}, ${p('status', "v_status = ''", 'is not a status (成功/失败/退回/在途) nor a status code of this bank')})`,
      p('status', "v_status = '在途'", 'a return reports a result: 成功, 失败 or 退回'),
      p('failure_reason', "v_status IN ('失败', '退回') AND r_failure_reason = ''", 'is required for a failed or returned payment (日销号: every failure traced with its cause)'),
      p('failure_reason', `lengthUTF8(r_failure_reason) > 200 OR match(r_failure_reason, '${HIDDEN}')`, 'must be at most 200 characters, without invisible characters'),
      p('account_holder', `r_account_holder != '' AND NOT match(r_account_holder, '${PERSON_NAME}')`, 'must be a name in Chinese characters (· between parts) or Latin letters'),
      `if(r_holder_id_number != '' AND ${idNumberReason('r_holder_id_number')} != '', ${v.bad('holder_id_number', idNumberReason('r_holder_id_number'))}, ${v.none})`,
    ]
  }
  return `INSERT INTO ${table} (line, problems, detail_id, status, failure_reason, account_holder, holder_id_number)
SELECT
  row_line AS line,
  ${problemsOf(checks)} AS problems,
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
