import type { Db } from '../db/client'
import { quoteIdentifier } from '../db/client'
import type { IngestGate } from '../ingest/ingestGate'
import { LoadError, yuanText } from './loadError'
import { healFactRollups } from './moveRows'

interface ReturnTables {
  checked: string
  refused: string
  contentHash: string
  prefix: string
}

/**
 * A return file's results onto the stored payments. Only rows that change something are applied;
 * the trace goes in first (keyed by file and payment, so a re-run rewrites the same rows), then
 * the statuses change in one mutation, then the rollups are rebuilt from the facts where they
 * now differ: a status moves a payment between rollup rows, which no insert-time view can do.
 */
export async function applyReturns(db: Db, gate: IngestGate, t: ReturnTables): Promise<{ tables: string[]; amount: string; changed: Record<string, number> }> {
  const checked = quoteIdentifier(t.checked)
  const changes = `${t.prefix}_ret`
  const join = quoteIdentifier(changes)
  await db.client.command({ query: `DROP TABLE IF EXISTS ${join}` })
  await db.client.command({ query: `CREATE TABLE ${join} (detail_id String, status String, failure_reason String, account_holder String, holder_id_number String) ENGINE = Join(ANY, LEFT, detail_id)` })
  const changing = `FROM ${checked} AS c
    INNER JOIN (SELECT detail_id, status, failure_reason, county_code, town_code, amount_paid, pay_time, account_holder, holder_id_number
                FROM payment_detail WHERE detail_id IN (SELECT detail_id FROM ${checked})) AS f ON f.detail_id = c.detail_id
    WHERE c.line NOT IN (SELECT line FROM ${quoteIdentifier(t.refused)})
      AND (c.status != toString(f.status) OR c.failure_reason != f.failure_reason
           OR (c.account_holder != '' AND c.account_holder != f.account_holder) OR (c.holder_id_number != '' AND c.holder_id_number != f.holder_id_number))`
  await db.client.command({ query: `INSERT INTO ${join} SELECT c.detail_id, c.status, c.failure_reason, c.account_holder, c.holder_id_number ${changing}` })
  await db.client.command({
    query: `INSERT INTO payment_return (content_hash, detail_id, line, county_code, town_code, from_status, to_status, failure_reason, amount_paid, pay_time)
            SELECT {contentHash:String}, c.detail_id, c.line, f.county_code, f.town_code, f.status, c.status, c.failure_reason, f.amount_paid, f.pay_time ${changing}`,
    query_params: { contentHash: t.contentHash },
  })
  const summary = await db.client.query({
    query: `SELECT to_status, count() AS n, toString(sum(amount_paid)) AS amount FROM payment_return FINAL WHERE content_hash = {contentHash:String} GROUP BY to_status`,
    query_params: { contentHash: t.contentHash },
    format: 'JSONEachRow',
  })
  const rows = await summary.json<{ to_status: string; n: string | number; amount: string }>()
  const changed = Object.fromEntries(rows.map((row) => [row.to_status, Number(row.n)]))
  const amount = rows.reduce((sum, row) => sum + Math.round(Number(row.amount) * 100), 0)
  const target = `${db.database}.${changes}`
  if (!/^\w+\.\w+$/.test(target)) throw new LoadError('unexpected staging table name')
  const get = (column: string) => `joinGet('${target}', '${column}', detail_id)`
  await gate.exclusive(async () => {
    await db.client.command({
      query: `ALTER TABLE payment_detail UPDATE
                status = CAST(${get('status')}, 'Enum8(\\'成功\\' = 1, \\'失败\\' = 2, \\'退回\\' = 3, \\'在途\\' = 4)'),
                failure_reason = ${get('failure_reason')},
                account_holder = if(${get('account_holder')} = '', account_holder, ${get('account_holder')}),
                holder_id_number = if(${get('holder_id_number')} = '', holder_id_number, ${get('holder_id_number')})
              WHERE detail_id IN (SELECT detail_id FROM ${join})
              SETTINGS mutations_sync = 2`,
    })
  })
  await healFactRollups(db, gate)
  return { tables: [changes], amount: yuanText(amount), changed }
}

