import fs from 'node:fs'
import type { Db } from '../db/client'
import { quoteIdentifier } from '../db/client'
import type { FileKind } from './bankConfig'

/** A refused row of a bank file: what the report and the command show. */
export interface Refusal {
  line: number
  field: string
  reason: string
}

const SHOWN_REFUSALS = 50

/** Every refused row into `refused` (line, field, reason): per-field problems and the set-wide checks. */
export async function collectRefusals(db: Db, kind: FileKind, checkedTable: string, refusedTable: string, batchId: string): Promise<void> {
  const checked = quoteIdentifier(checkedTable)
  const refused = quoteIdentifier(refusedTable)
  await db.client.command({ query: `DROP TABLE IF EXISTS ${refused}` })
  await db.client.command({ query: `CREATE TABLE ${refused} (line UInt64, field String, reason String) ENGINE = Memory` })
  await db.client.command({ query: `INSERT INTO ${refused} SELECT line, p.1, p.2 FROM ${checked} ARRAY JOIN problems AS p` })
  await db.client.command({
    query: `INSERT INTO ${refused}
            SELECT line, 'detail_id', concat('appears ', toString(length(lines)), ' times in the file (lines ', arrayStringConcat(arraySlice(lines, 1, 5), ', '), if(length(lines) > 5, ', …', ''), ')')
            FROM (SELECT detail_id, arraySort(groupArray(line)) AS lines FROM ${checked} WHERE detail_id != '' GROUP BY detail_id HAVING count() > 1)
            ARRAY JOIN lines AS line`,
  })
  if (kind === 'payroll') {
    await db.client.command({
      query: `INSERT INTO ${refused}
              SELECT line, 'detail_id', 'is already stored (another file or feed batch): a payment is stored once' FROM ${checked}
              WHERE detail_id IN (SELECT detail_id FROM payment_detail WHERE detail_id IN (SELECT detail_id FROM ${checked}) AND batch_id != {batchId:String})`,
      query_params: { batchId },
    })
    return
  }
  await db.client.command({
    query: `INSERT INTO ${refused}
            SELECT line, 'detail_id', 'no stored payment has this detail id' FROM ${checked}
            WHERE detail_id != '' AND detail_id NOT IN (SELECT detail_id FROM payment_detail WHERE detail_id IN (SELECT detail_id FROM ${checked}))`,
  })
  // 成功 may still come back (退回); a failure is settled by a re-issue, never turned into a success.
  await db.client.command({
    query: `INSERT INTO ${refused}
            SELECT c.line, 'status', concat('the payment is ', toString(f.status), ' already: a return cannot make it ', c.status,
                   if(toString(f.status) IN ('失败', '退回'), ' (a failed payment is settled by a re-issue with reissue_of)', ''))
            FROM ${checked} AS c
            INNER JOIN (SELECT detail_id, status FROM payment_detail WHERE detail_id IN (SELECT detail_id FROM ${checked})) AS f ON f.detail_id = c.detail_id
            WHERE empty(c.problems) AND c.status != toString(f.status) AND NOT (toString(f.status) = '在途' OR (toString(f.status) = '成功' AND c.status = '退回'))`,
  })
}

/** All refusals to `reportPath` as CSV (line, field, reason), sorted by line; the first few returned. */
export async function writeReport(db: Db, refusedTable: string, reportPath: string): Promise<Refusal[]> {
  const result = await db.client.query({
    query: `SELECT line, field, reason FROM ${quoteIdentifier(refusedTable)} ORDER BY line, field`,
    format: 'CSVWithNames',
  })
  fs.writeFileSync(reportPath, await result.text())
  const first = await db.client.query({
    query: `SELECT line, field, reason FROM ${quoteIdentifier(refusedTable)} ORDER BY line, field LIMIT ${SHOWN_REFUSALS}`,
    format: 'JSONEachRow',
  })
  return (await first.json<{ line: string | number; field: string; reason: string }>()).map((row) => ({ line: Number(row.line), field: row.field, reason: row.reason }))
}

