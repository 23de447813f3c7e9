import { z } from 'zod'

/**
 * Calibration targets and scale. The article (DOMAIN.md) reports, for 2018-01 to 2024-09:
 * 118.72 亿元 paid, 3985 万人次 payments, 172.51 万 distinct beneficiaries. Scale 1 reproduces them;
 * smaller scales keep the same 81-month window and shrink the population proportionally, so every
 * per-person pattern (payments per person, average amount, age mix) stays the same.
 */
export const article = {
  amountYuan: 11_872_000_000,
  payments: 39_850_000,
  beneficiaries: 1_725_100,
  /** 跨市重复发放 found: 127 records. */
  crossRegionCases: 127,
  /** 政策找人 suspects. */
  policySuspects: 1441,
  firstPeriod: 201801,
  lastPeriod: 202409,
} as const

export const WINDOW_MONTHS = 81

/**
 * 'demo': 1/16 of the article — 249 万 payments for 10.8 万 people over the same 81 months, with the
 * same per-person pattern. 1/10 took 123 s on this shared 2-core machine (8 rollup views rebuilt);
 * 1/16 keeps a first start near a minute. The wall shows a real city's shape at a smaller size.
 */
export const DEMO_FRACTION = 1 / 16

export const scaleSchema = z.union([z.enum(['demo', 'full']), z.number().int().min(2000).max(100_000_000)])
export type Scale = z.infer<typeof scaleSchema>

export interface SeedOptions {
  scale: Scale
  seed: number
  /** Last period (YYYYMM) of the 81-month window; the article's 202409 unless given. */
  lastPeriod?: number
}

export interface Plan {
  seed: number
  fraction: number
  persons: number
  payments: number
  amountYuan: number
  firstPeriod: number
  lastPeriod: number
}

export function planFor(options: SeedOptions): Plan {
  const scale = scaleSchema.parse(options.scale)
  const fraction = scale === 'full' ? 1 : scale === 'demo' ? DEMO_FRACTION : scale / article.payments
  const lastPeriod = options.lastPeriod ?? article.lastPeriod
  return {
    seed: options.seed,
    fraction,
    persons: Math.round(article.beneficiaries * fraction),
    payments: Math.round(article.payments * fraction),
    amountYuan: article.amountYuan * fraction,
    firstPeriod: addMonths(lastPeriod, -(WINDOW_MONTHS - 1)),
    lastPeriod,
  }
}

export function addMonths(period: number, months: number): number {
  const index = Math.floor(period / 100) * 12 + (period % 100) - 1 + months
  return Math.floor(index / 12) * 100 + (index % 12) + 1
}

/** Parses `demo`, `full` or a payment count. */
export function parseScale(text: string): Scale {
  return scaleSchema.parse(/^\d+$/.test(text) ? Number(text) : text)
}

/** A rate that still yields about `cases` cases in a small run (tests, tiny demos). */
export function atLeast(rate: number, cases: number, base: number): number {
  return Math.min(1, Math.max(rate, cases / Math.max(1, base)))
}
