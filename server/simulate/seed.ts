import type { Db } from '../db/client'
import type { Logger } from '../context'
import { familyNames } from './names'
import { planFor, type Plan, type SeedOptions, type Scale } from './params'
import { buildProjectTable } from './projectTable'
import { buildPopulation } from './population'
import { buildEnrollments, scalar } from './enrollments'
import { addMarkerColumn, dropMarkerColumn, insertPayments, insertRowGroundTruth, solveBandPosition } from './payments'
import { attachAndRebuild, createStaging, rollupViewsOf } from './rollups'
import { insertPeople } from './people'
import { injectCopies } from './copies'
import { insertChain } from './chain'
import { injectAndRecordTruth } from './truth'
import { beijingMonthBefore } from '../beijingTime'
import { insertSupervisionPosts } from './posts'

/**
 * Fills every table with a calibrated synthetic city, entirely inside ClickHouse
 * (INSERT … SELECT over numbers() and cityHash64(seed, …)): same seed, same data.
 */
export const seededTables = [
  'payment_detail', 'budget_indicator', 'spending_plan', 'payment_voucher', 'workflow_event', 'beneficiary', 'household',
  'ref_death', 'ref_official', 'ref_disability', 'ref_student', 'ref_asset', 'card_activity', 'ground_truth', 'decoy', 'supervision_post',
] as const

const workTables = ['sim_proj', 'sim_person', 'sim_enroll', 'sim_payment', 'sim_cand', 'sim_pick', 'sim_flags', 'sim_keep', 'sim_inject', 'sim_voucher', 'sim_p1', 'sim_p2', 'sim_card', 'sim_r01']

export interface SeedResult {
  plan: Plan
  bandPosition: number
  uncovered: number
  steps: Array<[string, number]>
}

export async function seedDatabase(db: Db, options: SeedOptions, log?: Logger): Promise<SeedResult> {
  const plan = planFor(options)
  const steps: Array<[string, number]> = []
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now()
    const value = await work()
    steps.push([name, Date.now() - started])
    log?.info(`seed: ${name} ${((Date.now() - started) / 1000).toFixed(1)} s`)
    return value
  }
  if ((await scalar(db, 'SELECT count() FROM payment_detail')) > 0) throw new Error('payment_detail is not empty: seed an empty database or pass reset')
  await dropWorkTables(db)
  try {
    await step('catalogue', () => buildProjectTable(db))
    await step('people', () => buildPopulation(db, plan))
    const { uncovered } = await step('enrollments', () => buildEnrollments(db, plan))
    const bandPosition = await step('calibration', () => solveBandPosition(db, plan))
    await step('payments', async () => {
      await createStaging(db, 'sim_payment')
      await addMarkerColumn(db, 'sim_payment')
      await insertPayments(db, plan, bandPosition, { fam: familyNames }, 'sim_payment', true)
    })
    await step('row anomalies', () => insertRowGroundTruth(db, 'sim_payment'))
    await step('registers', () => insertPeople(db, plan, 'sim_payment'))
    await step('copied anomalies', () => injectCopies(db, plan, 'sim_payment'))
    await step('rollups', async () => {
      await dropMarkerColumn(db, 'sim_payment')
      return attachAndRebuild(db, 'sim_payment')
    })
    await step('budget chain', () => insertChain(db, plan))
    await step('ground truth', () => injectAndRecordTruth(db, plan))
    await step('supervision posts', () => insertSupervisionPosts(db))
    return { plan, bandPosition, uncovered, steps }
  } finally {
    await dropWorkTables(db)
  }
}

/** Empties what the generator fills, and the rollups fed from payment_detail. */
export async function resetSeededTables(db: Db): Promise<void> {
  const rollups = (await rollupViewsOf(db)).map((v) => v.target)
  for (const table of [...seededTables, ...rollups]) await db.client.command({ query: `TRUNCATE TABLE IF EXISTS \`${table}\`` })
}

async function dropWorkTables(db: Db): Promise<void> {
  for (const table of workTables) await db.client.command({ query: `DROP TABLE IF EXISTS \`${table}\`` })
}

/**
 * First start of the server: seed when there are no payments yet. Returns whether it seeded.
 * The window ends last month (Asia/Shanghai) so that history runs straight into the live feed's
 * payments of today; pass `lastPeriod` (e.g. 202409, the article's) to pin it.
 */
export async function seedIfEmpty(ctx: { db: Db; log: Logger }, scale: Scale, seed: number, lastPeriod = beijingMonthBefore()): Promise<boolean> {
  if ((await scalar(ctx.db, 'SELECT count() FROM payment_detail')) > 0) return false
  const started = Date.now()
  const { plan } = await seedDatabase(ctx.db, { scale, seed, lastPeriod }, ctx.log)
  ctx.log.info(`seed: ${plan.payments.toLocaleString('en')} payments for ${plan.persons.toLocaleString('en')} people, ${plan.firstPeriod}–${plan.lastPeriod}, in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  return true
}

