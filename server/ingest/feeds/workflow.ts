import { z } from 'zod'
import { checkRegionChain, eventTime, idNumber, projectCode, recordId, text } from '../fields'
import { defineFeed } from './feedSpec'

/** 户报 → 村评 → 镇审 → 县定 → 市管: one row per node reached by one application. */
export const workflowRecord = z
  .object({
    application_id: recordId(),
    node: z.enum(['户报', '村评', '镇审', '县定', '市管']),
    at: eventTime(),
    project_code: projectCode(),
    county_code: z.string(),
    town_code: z.string(),
    village_code: z.string(),
    id_number: idNumber(),
    actor: text(50),
  })
  .strict()
  .superRefine((record, ctx) => checkRegionChain(record, ctx))

export type WorkflowRecord = z.output<typeof workflowRecord>

export const workflowFeed = defineFeed({
  feed: 'workflow',
  table: 'workflow_event',
  changes: ['workflow'],
  record: workflowRecord,
  amountColumn: null,
  timeOf: (record) => record.at,
})
