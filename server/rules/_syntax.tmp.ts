import { openTempDb } from '../testing/tempDb'
import { rules } from '../rules/catalog/index'
import { findCases } from '../rules/evaluate'
const db = await openTempDb()
for (const rule of rules) {
  try { const rows = await findCases(db, rule, { today: '2024-10-22' }); console.log(rule.id, 'ok', rows.length) }
  catch (e) { console.log(rule.id, 'FAIL', String(e).slice(0, 400)) }
}
await db.close()
