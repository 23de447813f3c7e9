import { openTempDb } from './server/testing/tempDb'
import { loadFile } from './server/bulk/loadFile'
import { makeIdNumber, placeOf } from './server/ingest/test/fixtures'
import fs from 'node:fs'
const db = await openTempDb()
const lines = ['明细编号,所属期,补贴项目,村(社区)代码,姓名,身份证号,社保卡号,联系电话,应发金额,实发金额,发放日期,发放状态,失败原因']
for (let n = 0; n < 20; n++) lines.push([`B-${n}`, '202405', n % 2 ? 'P01' : '城市居民最低生活保障金', placeOf(n).village_code, '张三', makeIdNumber(n), `62210000${String(n).padStart(8, '0')}`, '', '300.50', '300.50', '2024-05-10', n === 3 ? '1' : '0', n === 3 ? '账户冻结' : ''].join(','))
lines.push(['B-x', '202413', 'PXX', '123', '张3', makeIdNumber(1).slice(0, 17) + '0', '12', 'abc', '1.234', '-1', '2024-02-30', '7', ''].join(','))
fs.writeFileSync('/tmp/i18/p.csv', lines.join('\n') + '\n')
try {
  const r = await loadFile(db, { file: '/tmp/i18/p.csv', bank: 'nongshang', kind: 'payroll', encoding: 'utf-8', acceptValid: true, onProgress: (e) => console.log(e) })
  console.log(JSON.stringify(r, null, 1))
  const q = await db.client.query({ query: 'SELECT count(), sum(amount_paid), any(gender), any(birth_date), any(county_code) FROM payment_detail', format: 'JSONEachRow' })
  console.log(await q.json())
  const q2 = await db.client.query({ query: 'SELECT sum(payments) FROM agg_region_month WHERE region_code = \'511000\'', format: 'JSONEachRow' })
  console.log(await q2.json())
} catch (e) { console.log('ERR', e) }
await db.close()
