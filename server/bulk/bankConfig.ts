import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

/**
 * How one bank writes its files: which header names mean which field, how it writes dates and
 * amounts, and its status codes. Kept as data in `config/banks/<bank>.json`, one file per bank,
 * so a new bank or a bank that renames a column needs no code change.
 */

/** Fields a payroll file (发放明细) may carry; anything not in the file is derived or defaulted. */
export const PAYROLL_FIELDS = [
  'detail_id', 'period', 'project', 'dept', 'paying_unit', 'county_code', 'town_code', 'village_code', 'household_id',
  'person_name', 'id_number', 'gender', 'birth_date', 'card_number', 'account_holder', 'holder_id_number', 'phone',
  'base_quantity', 'standard', 'amount_due', 'amount_paid', 'pay_time', 'status', 'failure_reason', 'reissue_of',
  'plan_id', 'voucher_id', 'indicator_doc', 'fund_level',
] as const
/** Fields a return file (回盘文件) may carry: the bank's result for payments already stored. */
export const RETURN_FIELDS = ['detail_id', 'status', 'failure_reason', 'account_holder', 'holder_id_number'] as const

export type PayrollField = (typeof PAYROLL_FIELDS)[number]
export type ReturnField = (typeof RETURN_FIELDS)[number]
export type FileKind = 'payroll' | 'return'

const STATUSES = ['成功', '失败', '退回', '在途'] as const
/** strftime-style formats of ClickHouse's parseDateTime (MySQL syntax): %Y %m %d %H %i %s and literal text. */
const FORMAT = /^(?:%[YmdHis]|[-/: T年月日时分秒.])+$/

const layout = <F extends readonly [string, ...string[]]>(fields: F) =>
  z
    .object({
      /** header text in the file → field */
      columns: z.record(z.string().min(1), z.enum(fields)).describe('header name → field'),
      statusCodes: z.record(z.string(), z.enum(STATUSES)).default({}).describe('status as the bank writes it → status'),
      dateFormat: z.string().regex(FORMAT).default('%Y-%m-%d').describe('birth dates'),
      timeFormats: z.array(z.string().regex(FORMAT)).min(1).default(['%Y-%m-%d %H:%i:%s', '%Y-%m-%d']).describe('pay times: tried in order'),
      amountUnit: z.enum(['元', '分']).default('元'),
      defaults: z
        .object({
          status: z.enum(STATUSES).optional(),
          paying_unit: z.string().min(1).max(100).optional(),
          fund_level: z.enum(['中央', '省', '市', '县']).optional(),
        })
        .strict()
        .default({}),
    })
    .strict()
    .superRefine((value, ctx) => {
      const seen = new Map<string, string>()
      for (const [header, field] of Object.entries(value.columns)) {
        if (seen.has(field)) ctx.addIssue({ code: 'custom', path: ['columns', header], message: `field ${field} is already the column ${seen.get(field)}` })
        seen.set(field, header)
      }
    })

export const bankConfigSchema = z
  .object({
    /** written into payment_detail.bank for every row of this bank's files */
    bank: z.string().min(1).max(50),
    encoding: z.enum(['utf-8', 'gbk']).optional().describe('when the bank always sends one; otherwise detected'),
    payroll: layout(PAYROLL_FIELDS).optional(),
    return: layout(RETURN_FIELDS).optional(),
  })
  .strict()

export type BankConfig = z.output<typeof bankConfigSchema>
export type FileLayout = NonNullable<BankConfig['payroll']> | NonNullable<BankConfig['return']>

export class BankConfigError extends Error {}

export const BANKS_DIR = path.resolve('config/banks')

/** Bank names are file names: letters, digits, '-' and '_' only. */
export function readBankConfig(bank: string, dir = BANKS_DIR): BankConfig {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(bank)) throw new BankConfigError(`bank name ${JSON.stringify(bank)}: letters, digits, - and _ only`)
  const file = path.join(dir, `${bank}.json`)
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    const known = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)) : []
    throw new BankConfigError(`no column mapping for bank ${bank} (${file}); known: ${known.join(', ') || 'none'}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new BankConfigError(`${file}: not JSON (${(error as Error).message})`)
  }
  const parsed = bankConfigSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new BankConfigError(`${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`)
  }
  return parsed.data
}

export function layoutOf(config: BankConfig, kind: FileKind): FileLayout {
  const found = config[kind]
  if (!found) throw new BankConfigError(`bank ${config.bank} has no ${kind} layout in its configuration`)
  return found
}
