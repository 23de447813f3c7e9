import { openDb } from './server/db/client'
import { rules } from './server/rules/catalog/index'
import { findCases } from './server/rules/evaluate'
import { setEvaluationDay } from './server/rules/params'
const db = await openDb({ database: 'ykt', dataDir: process.argv[2] })
const back = Number(process.argv[3] ?? 15)
const [{ t }] = await (await db.client.query({ query: `SELECT toString(max(ingested_at) - INTERVAL ${back} SECOND) AS t, count() AS n FROM payment_detail`, format: 'JSONEachRow' })).json<{ t: string }>()
const [{ n }] = await (await db.client.query({ query: `SELECT count() AS n FROM payment_detail WHERE ingested_at > {t:DateTime64(3)}`, query_params: { t }, format: 'JSONEachRow' })).json<{ n: string }>()
console.log('since', t, 'new rows', n)
const since = new Date(t.replace(' ', 'T') + '+08:00')
const today = '2026-12-03'
setEvaluationDay(today)
let total = 0
for (const rule of rules.filter((r) => r.incremental)) {
  const times: number[] = []
  for (let i = 0; i < 3; i++) { const a = performance.now(); await findCases(db, rule, { since, today }); times.push(performance.now() - a) }
  times.sort((a, b) => a - b); total += times[1]
  console.log(rule.id, times.map((x) => x.toFixed(0)).join(' '))
}
console.log('total of medians', total.toFixed(0))
await db.close()
