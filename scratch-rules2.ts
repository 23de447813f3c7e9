import { openDb } from './server/db/client'
import { rules } from './server/rules/catalog/index'
import { ruleParams, setEvaluationDay } from './server/rules/params'
const db = await openDb({ database: 'ykt', dataDir: process.argv[2] })
const count = Number(process.argv[3] ?? 20)
const ids = (await (await db.client.query({ query: `SELECT id_number FROM payment_detail ORDER BY ingested_at DESC LIMIT {n:UInt32}`, query_params: { n: count }, format: 'JSONEachRow' })).json<{ id_number: string }>()).map((r) => r.id_number)
const [{ ms }] = await (await db.client.query({ query: `SELECT toString(min(m)) AS ms FROM (SELECT toUnixTimestamp64Milli(ingested_at) AS m FROM payment_detail ORDER BY ingested_at DESC LIMIT {n:UInt32})`, query_params: { n: count }, format: 'JSONEachRow' })).json<{ ms: string }>()
const since = new Date(Number(ms) - 1)
const [{ k }] = await (await db.client.query({ query: `SELECT count() AS k FROM payment_detail WHERE ingested_at > {since:DateTime64(3)}`, query_params: ruleParams({ since, today: '2026-12-03' }), format: 'JSONEachRow' })).json<{ k: string }>()
console.log('rows after since', k)
const today = '2026-12-03'
setEvaluationDay(today)
const SUB = 'id_number IN (SELECT id_number FROM payment_detail WHERE ingested_at > {since:DateTime64(3)})'
const time = async (query: string, params: Record<string, unknown>) => { const a = performance.now(); await (await db.client.query({ query, query_params: params, format: 'JSONEachRow' })).json(); return performance.now() - a }
let tA = 0, tB = 0
for (const rule of rules.filter((r) => r.incremental)) {
  const sql = rule.sql('incremental')
  if (!sql.includes(SUB)) { console.log(rule.id, 'not person-touched'); continue }
  const params = { ...ruleParams({ since, today }), ruleId: rule.id, ids }
  const lit = sql.split(SUB).join('id_number IN {ids:Array(String)}')
  const a: number[] = [], b: number[] = []
  for (let i = 0; i < 3; i++) { a.push(await time(sql, params)); b.push(await time(lit, params)) }
  a.sort((x, y) => x - y); b.sort((x, y) => x - y); tA += a[1]; tB += b[1]
  console.log(rule.id, 'subquery', a[1].toFixed(0), 'array', b[1].toFixed(0))
}
console.log('totals', tA.toFixed(0), tB.toFixed(0))
await db.close()
