import fs from 'node:fs'
import { openDb } from '../../server/db/client'
import { canonicalTime, dateParts, isCanonicalTime, isRealDateTime, toTime } from '../../server/bulk/sqlChecks'
/**
 * What reading pay_time costs in the bulk loader's SQL, over 1M generated canonical date-times
 * (2024-05-01 00:00:00 …): the bank-forms way (dateParts regex + isRealDateTime + toTime) against
 * the canonical fast way with the regex as a lazily evaluated fallback (sqlChecks.canonicalTime).
 *   npx tsx scripts/bench/dateParseCost.ts [data dir]
 */
const dataDir = process.argv[2] ?? '/tmp/ykt-date-parse-cost'
const db = await openDb({ database: 'cost', dataDir })
await db.client.command({ query: 'DROP TABLE IF EXISTS d' })
await db.client.command({ query: "CREATE TABLE d ENGINE = Memory AS SELECT formatDateTime(toDateTime('2024-05-01 00:00:00', 'Asia/Shanghai') + number * 7, '%Y-%m-%d %H:%i:%S') AS v FROM numbers(1000000)" })
const t = async (label: string, outer: string) => {
  const c = process.cpuUsage(); const w = Date.now()
  await db.client.command({ query: `SELECT sum(cityHash64(${outer})) FROM (SELECT *, ${dateParts('v', false)} AS g, ${canonicalTime('v')} AS f, ${isCanonicalTime('f', 'v')} AS fok FROM d) FORMAT Null` })
  const u = process.cpuUsage(c)
  console.log(label, ((u.user + u.system) / 1e6).toFixed(2), 'CPU s', Date.now() - w, 'ms')
}
// Twice each, alternating: the first round warms the engine.
for (let i = 0; i < 2; i++) {
  await t('today: (isReal, toTime)', `(${isRealDateTime('g')}, ${toTime('g')})`)
  await t('fast first, lazy fallback', `(fok OR ${isRealDateTime('g')}, if(fok, assumeNotNull(f), ${toTime('g')}))`)
}
await db.close()
fs.rmSync(dataDir, { recursive: true, force: true })
