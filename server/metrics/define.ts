import type { z } from 'zod'
import type { Db } from '../db/client'
import type { PanelData } from '../../dashboards/types'

import type { DataKind } from '../dataKinds'
/** The kinds a metric reads (server/dataKinds.ts), exported here with the metric definition they belong to. */
export { DATA_KINDS, type DataKind } from '../dataKinds'

/** See MetricDefinition.minRefreshMs. */
export const HISTORY_REFRESH_MS = 10_000

export interface MetricDefinition<P extends z.ZodType = z.ZodType> {
  /** e.g. 'payments.byChildRegion' */
  name: string
  /** Chinese, e.g. '各地区发放金额' */
  title: string
  /** zod schema; ALWAYS includes region: a known region code (geo/regions) */
  params: P
  /** Which tables it reads; the hub recomputes only when one of them received data (see onIngest feed names). */
  reads: DataKind[]
  /**
   * Table columns that identify a person, even masked (subject, name, 身份证号, card, phone).
   * Wall screens (role 'wall') receive aggregates only: the hub drops these columns for them.
   */
  personColumns?: string[]
  /**
   * The live hub recomputes this metric at most this often (ms) when new data arrives. Left unset
   * for KPIs and today's panels, which follow every ingest; long-history panels (by year, month,
   * project, department, bank, age band) and the fiscal year's budget chain (execution rate,
   * funnel, by region, by department: one shared query, ~60 ms at 10M payments) use
   * HISTORY_REFRESH_MS: one batch barely moves them, and they were most of a tick's work.
   */
  minRefreshMs?: number
  run(db: Db, params: z.infer<P>): Promise<PanelData>
}

export function defineMetric<P extends z.ZodType>(definition: MetricDefinition<P>): MetricDefinition<P> {
  return definition
}
