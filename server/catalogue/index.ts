import { z } from 'zod'
import projectsData from './projects.json'

/**
 * The subsidy catalogue (惠民惠农补贴项目): ~90 projects paid to persons or households through 一卡通.
 * Amount and age bands are realistic defaults [est.] (DOMAIN.md), kept as data so that the generator,
 * the ingest validation and the rules read the same numbers. Validated once at load.
 */
export const departments = [
  '民政', '残联', '人社', '卫健', '农业农村', '林业', '住建', '教育', '乡村振兴', '退役军人', '组织部', '水利', '医保',
] as const

/** Paying banks (代发银行) for the cards; the first is the main rural paying bank. */
export const banks = ['农村商业银行', '中国农业银行', '中国邮政储蓄银行', '中国建设银行', '中国工商银行'] as const

export const fundLevels = ['中央', '省', '市', '县'] as const

const projectSchema = z
  .object({
    code: z.string().regex(/^P\d{2}$/).describe('stable project code'),
    name: z.string().min(2),
    dept: z.enum(departments).describe('city-level department that approves and pays it'),
    frequency: z.enum(['monthly', 'quarterly', 'yearly', 'term', 'once']),
    basis: z.enum(['person', 'mu', 'household']).describe('what the standard is paid per'),
    amountMin: z.number().nonnegative().describe('yuan per period per basis unit'),
    amountMax: z.number().positive(),
    ageMin: z.number().int().min(0).max(120).describe('full years at pay date'),
    ageMax: z.number().int().min(0).max(120),
    exclusionGroup: z.string().nullable().describe('at most one project of a group per person and period (R04)'),
    relief: z.boolean().describe('social relief (低保, 特困, 临时救助, …): R07 and R12 apply'),
    villageReviewed: z.boolean().describe('goes through 村评 (R08 applies)'),
    fundLevel: z.enum(fundLevels).describe('main level that funds it'),
    population: z
      .enum(['relief', 'tekun', 'orphan', 'elderly', 'disabled', 'pension', 'worker', 'farmer', 'forest', 'student', 'veteran', 'cadre', 'general'])
      .describe('who typically receives it (used by the demo-data generator)'),
  })
  .refine((p) => p.amountMin <= p.amountMax, 'amountMin above amountMax')
  .refine((p) => p.ageMin <= p.ageMax, 'ageMin above ageMax')

export type Project = z.infer<typeof projectSchema>

export const projects: readonly Project[] = Object.freeze(
  z
    .array(projectSchema)
    .refine((list) => new Set(list.map((p) => p.code)).size === list.length, 'duplicate project code')
    .parse(projectsData),
)

const byCode = new Map(projects.map((p) => [p.code, p]))

export function projectByCode(code: string): Project | undefined {
  return byCode.get(code)
}

export function isKnownProject(code: string): boolean {
  return byCode.has(code)
}
