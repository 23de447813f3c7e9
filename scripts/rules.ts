/**
 * Supervision rules from the command line, on the DATA_DIR database (or CLICKHOUSE_URL):
 *   npx tsx scripts/rules.ts --backtest [--today YYYY-MM-DD] [--rule R01]
 *       every rule over all history, against the generator's ground truth
 *   npx tsx scripts/rules.ts --run [--today YYYY-MM-DD]
 *       a full pass that stores new flags (and 政策找人 follow-ups)
 *   npx tsx scripts/rules.ts --bench
 *       engine timings: full pass, full pass again (nothing changed), incremental with nothing new,
 *       incremental after a batch of 500 payments. WRITES flags and those payments: use a copy.
 * --today: the back-test judges a seeded history as of its own end (the newest payment day: the
 * generator planted its cases relative to it); --run and --bench judge by the clock (Beijing), as
 * the server's engine does. Both days are printed when they differ.
 */
import { loadConfig } from '../server/config'
import { openDb } from '../server/db/client'
import { migrate } from '../server/db/migrate'
import { backtest, dataToday } from '../server/rules/backtest'
import { rules } from '../server/rules/catalog/index'
import { startRuleEngine, type RunSummary } from '../server/rules/engine'
import { consoleLogger, type AppContext } from '../server/context'
import { beijingDay } from '../server/beijingTime'

const args = process.argv.slice(2)
const option = (name: string) => {
  const index = args.indexOf(name)
  return index >= 0 ? args[index + 1] : undefined
}

const config = loadConfig()
const db = await openDb({ url: config.CLICKHOUSE_URL, user: config.CLICKHOUSE_USER, password: config.CLICKHOUSE_PASSWORD, database: config.CLICKHOUSE_DATABASE, dataDir: config.dataDir })
try {
  await migrate(db)
  const clockDay = beijingDay()
  const dataDay = await dataToday(db)
  const today = option('--today') ?? (args.includes('--backtest') ? (dataDay ?? clockDay) : clockDay)
  const days = [today === dataDay ? 'the data’s newest day' : '', today === clockDay ? 'today by the clock' : ''].filter(Boolean).join(', ')
  const beside = [dataDay && dataDay !== today ? `newest data ${dataDay}` : '', today !== clockDay ? `clock ${clockDay}` : ''].filter(Boolean).join(', ')
  const asOf = `${today}${days ? ` (${days})` : ''}${beside ? `; ${beside}` : ''}`
  const only = option('--rule')
  const selected = only ? rules.filter((rule) => rule.id === only) : rules
  if (args.includes('--backtest')) {
    console.log(`back-test as of ${asOf} on ${config.CLICKHOUSE_URL ? 'ClickHouse' : config.dataDir}`)
    const rows = await backtest(db, today, selected)
    const pct = (value: number | null) => (value === null ? '   -  ' : `${(value * 100).toFixed(1).padStart(5)}%`)
    console.log('rule  found  truth  recall  precision  decoys flagged  verdict    ms   name')
    for (const row of rows) {
      const verdict = row.passed ? 'pass' : row.truth === 0 ? 'untested' : 'FAIL'
      console.log(`${row.ruleId.padEnd(4)} ${String(row.found).padStart(6)} ${String(row.truth).padStart(6)} ${pct(row.recall)}  ${pct(row.precision)}   ${String(row.decoys).padStart(6)} ${String(row.decoysFlagged).padStart(7)}  ${verdict.padEnd(8)} ${String(row.ms).padStart(6)}  ${row.name}`)
      if (row.branches.length > 1)
        for (const branch of row.branches)
          console.log(`       branch ${branch.branch}: planted ${branch.truth}, found ${branch.truePositives}, recall ${branch.truth ? pct(branch.recall) : 'untested (no planted case)'}, precision ${pct(branch.precision)}, decoys flagged ${branch.decoysFlagged}/${branch.decoys}`)
      if (row.missed.length) console.log(`       missed e.g. ${row.missed.join(', ')}`)
      if (row.extra.length) console.log(`       extra  e.g. ${row.extra.join(', ')}`)
      if (row.flaggedDecoys.length) console.log(`       decoys flagged e.g. ${row.flaggedDecoys.join(', ')}`)
    }
    const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0)
    console.log(`all rules: ${sum((row) => row.truePositives)} of ${sum((row) => row.truth)} planted cases found, ${sum((row) => row.found - row.truePositives)} extra, ${sum((row) => row.decoysFlagged)} of ${sum((row) => row.decoys)} decoys flagged; ${rows.filter((row) => row.passed).length}/${rows.length} rules pass`)
    const total = rows.reduce((sum, row) => sum + row.ms, 0)
    console.log(`total ${total} ms`)
  } else if (args.includes('--run')) {
    const ctx: AppContext = { config, db, log: consoleLogger, startedAt: new Date(), auth: undefined as never, onIngest: [], dataChanged: () => {}, healthExtras: [] }
    const engine = startRuleEngine(ctx, { today: () => today, rules: selected, initialPass: false })
    const summary = await engine.runNow()
    await engine.stop()
    console.log(`stored ${summary.newFlags} new flags as of ${asOf} in ${summary.ms} ms`, summary.byRule, summary.failed.length ? `failed: ${summary.failed.join(', ')}` : '')
  } else if (args.includes('--bench')) {
    const ctx: AppContext = { config, db, log: consoleLogger, startedAt: new Date(), auth: undefined as never, onIngest: [], dataChanged: () => {}, healthExtras: [] }
    const engine = startRuleEngine(ctx, { today: () => today, rules: selected, initialPass: false })
    const report = (label: string, summary: RunSummary) =>
      console.log(`${label.padEnd(34)} ${String(summary.ms).padStart(6)} ms  ${summary.newFlags} new flags, ${summary.skipped.length} rules skipped${summary.failed.length ? `, failed: ${summary.failed.join(', ')}` : ''}`)
    report('full pass', await engine.runNow('full'))
    report('full pass, nothing changed', await engine.runNow('full'))
    report('incremental, nothing ingested', await engine.runNow('incremental'))
    // A batch that repeats 500 stored payments under new ids: R02 cases for the incremental rules.
    await db.client.command({
      query: `INSERT INTO payment_detail SELECT * REPLACE (concat(detail_id, 'B') AS detail_id, 'BENCH' AS batch_id, now64(3) AS ingested_at)
              FROM payment_detail LIMIT 500`,
    })
    report('incremental, 500 payments ingested', await engine.runNow('incremental'))
    await engine.stop()
  } else {
    console.log('usage: npx tsx scripts/rules.ts --backtest | --run | --bench [--today YYYY-MM-DD] [--rule R01]')
    process.exitCode = 2
  }
} finally {
  await db.close()
}
