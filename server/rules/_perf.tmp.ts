import { openTempDb } from '/work/main/server/testing/tempDb'
import { rules } from '/work/main/server/rules/catalog/index'
import { findCases } from '/work/main/server/rules/evaluate'
const db = await openTempDb()
await db.client.command({ query: `INSERT INTO payment_detail (detail_id, batch_id, period, project_code, dept, paying_unit, county_code, town_code, village_code, household_id, person_name, id_number, gender, birth_date, card_number, account_holder, holder_id_number, bank, phone, base_quantity, standard, amount_due, amount_paid, pay_time, status, failure_reason, reissue_of, plan_id, voucher_id, indicator_doc, fund_level, proxy_held, proxy_holder_id, proxy_holder_name, prereview_hits)
SELECT concat('D', toString(number)), 'b', 201801 + intDiv(number % 81, 12) * 100 + (number % 81) % 12, concat('P', leftPad(toString(1 + number % 90), 2, '0')), '民政', 'u', '511002', '511002001', '511002001002',
 concat('H', toString(number % 170000)), '张三', concat('511002195001', leftPad(toString(number % 170000), 6, '0')), '男', toDate32('1950-01-01'), concat('6222', toString(number % 170000)), '张三', concat('511002195001', leftPad(toString(number % 170000), 6, '0')), '农行', concat('138', toString(number % 170000)),
 1, 150, 150, 150, toDateTime('2018-01-15 10:00:00') + toIntervalSecond(number * 5), '成功', '', '', concat('PL', toString(intDiv(number, 100))), concat('V', toString(intDiv(number, 100))), 'doc', '中央', 0, '', '', []
FROM numbers(1000000)` })
let total = 0
for (const rule of rules) {
  const t = Date.now()
  const rows = await findCases(db, rule, { today: '2024-10-22' })
  const ms = Date.now() - t; total += ms
  console.log(rule.id, rows.length, ms, 'ms')
}
console.log('total', total)
const t = Date.now()
for (const rule of rules.filter((r) => r.incremental)) await findCases(db, rule, { today: '2024-10-22', since: new Date() })
console.log('incremental pass (nothing new)', Date.now() - t, 'ms')
await db.close()
