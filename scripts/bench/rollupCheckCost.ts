/** One rollup check over a data directory (nothing else may own it): wall and CPU time per rollup.
 *   npx tsx scripts/bench/rollupCheckCost.ts <dataDir> */
import { openDb } from '../../server/db/client'
import { discoverRollups } from '../../server/rollups/discover'
import { checkRollup } from '../../server/rollups/heal'
import { ingestGate } from '../../server/ingest/ingestGate'
async function main() {
const db = await openDb({ database: 'ykt', dataDir: process.argv[2] })
const cpu0 = process.cpuUsage(); const t0 = performance.now()
for (const rollup of await discoverRollups(db)) {
  const t = performance.now()
  const v = await checkRollup(db, ingestGate, rollup, { repair: false })
  console.log(rollup.table, Math.round(performance.now() - t), 'ms', v.partitions, 'partitions', v.mismatched.length, 'mismatched')
}
const cpu = process.cpuUsage(cpu0)
console.log('total', Math.round(performance.now() - t0), 'ms wall', Math.round((cpu.user + cpu.system) / 1000), 'ms CPU')
await db.close()

}
void main()
