import { openDb } from '../../server/db/client'
import { ingestGate } from '../../server/ingest/ingestGate'
import { discoverRollups } from '../../server/rollups/discover'
import { checkRollup } from '../../server/rollups/heal'

export interface Verdict {
  rowsExpected: number
  rowsFound: number
  lost: number
  doubled: number
  partial: number
  ledgerMissing: number
  rollupMismatches: number
  rollupsChecked: number
}

/**
 * Reads the kill loop's data directory in this process (the server is stopped): every batch whole
 * and once, in the ledger, and every rollup equal to what its views give over the facts.
 */
export async function verify(dataDir: string, batches: Iterable<string>, rowsPerBatch: number): Promise<Verdict> {
  const db = await openDb({ database: 'ykt', dataDir })
  try {
    const result = await db.client.query({
      query: `SELECT batch_id, count() AS rows, uniqExact(detail_id) AS details FROM payment_detail GROUP BY batch_id`,
      format: 'JSONEachRow',
    })
    const found = new Map((await result.json<{ batch_id: string; rows: string; details: string }>()).map((r) => [r.batch_id, { rows: Number(r.rows), details: Number(r.details) }]))
    const ledgerResult = await db.client.query({ query: `SELECT batch_id FROM ingest_batch FINAL WHERE feed = 'payments'`, format: 'JSONEachRow' })
    const ledger = new Set((await ledgerResult.json<{ batch_id: string }>()).map((r) => r.batch_id))
    const verdict: Verdict = { rowsExpected: 0, rowsFound: 0, lost: 0, doubled: 0, partial: 0, ledgerMissing: 0, rollupMismatches: 0, rollupsChecked: 0 }
    for (const batch of batches) {
      const rows = found.get(batch) ?? { rows: 0, details: 0 }
      verdict.rowsExpected += rowsPerBatch
      verdict.rowsFound += rows.rows
      if (rows.rows === 0) verdict.lost++
      else if (rows.rows > rowsPerBatch || rows.details < rows.rows) verdict.doubled++
      else if (rows.rows < rowsPerBatch) verdict.partial++
      if (!ledger.has(batch)) verdict.ledgerMissing++
    }
    for (const rollup of await discoverRollups(db)) {
      const check = await checkRollup(db, ingestGate, rollup, { repair: false })
      verdict.rollupsChecked++
      verdict.rollupMismatches += check.mismatched.length
    }
    return verdict
  } finally {
    await db.close()
  }
}
