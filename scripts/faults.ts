import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { fuzz } from './faults/fuzz'
import { flood } from './faults/flood'
import { BATCH_ROWS, killLoop } from './faults/killLoop'
import { sigtermTrials } from './faults/sigterm'
import { verify } from './faults/verify'

/**
 * `npm run faults`: the fault campaign (minutes; not part of npm test). Each part runs real server
 * processes on their own temporary data: kill -9 mid-ingest in a loop, a fuzz set of bad payloads,
 * SIGTERM during a batch under `npm start`, and a flood of senders. Prints one table;
 * `--readme` also writes it into README.md's reliability section.
 *   npm run faults -- --cycles 100 --sigterm 5 --flood 20 --readme
 */
const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '100' },
    sigterm: { type: 'string', default: '5' },
    flood: { type: 'string', default: '20' },
    readme: { type: 'boolean', default: false },
  },
})
const cycles = Number(values.cycles)
const log = (line: string) => console.log(`[faults] ${line}`)
const tempDir = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `ykt-faults-${name}-`))

async function main(): Promise<void> {
  const startedAt = Date.now()
  log(`kill -9 loop: ${cycles} cycles of batches of ${BATCH_ROWS} payments`)
  const killDir = tempDir('kill')
  const kills = await killLoop(killDir, cycles, log)
  const verdict = await verify(killDir, kills.batches.keys(), BATCH_ROWS)
  log('fuzz set')
  const fuzzed = await fuzz(tempDir('fuzz'), log)
  log(`SIGTERM trials: ${values.sigterm} under npm start`)
  const terms = await sigtermTrials(tempDir('term'), Number(values.sigterm), log)
  log(`flood: 20 senders for ${values.flood} s`)
  const flooded = await flood(tempDir('flood'), Number(values.flood))

  const rows: Array<[string, string | number, string]> = [
    ['kill -9 cycles (server starts, start failures)', `${kills.kills} (${kills.starts + 1}, ${kills.startFailures})`, `≥ 100, 0 failures`],
    ['batches acknowledged', kills.acked.size, ''],
    ['rows expected / found', `${verdict.rowsExpected} / ${verdict.rowsFound}`, 'equal'],
    ['batches lost / doubled / partial', `${verdict.lost} / ${verdict.doubled} / ${verdict.partial}`, '0 / 0 / 0'],
    ['batches without ledger entry', verdict.ledgerMissing, '0'],
    ['re-posts answered duplicate / recovered deliveries', `${kills.duplicatesOnRepost} / ${kills.recovered}`, ''],
    ['rollup partitions rebuilt (during the cycles / at the last start)', `${kills.repairsInCycles} / ${kills.repairs}`, ''],
    ['rollup mismatches (partitions, over all rollups)', `${verdict.rollupMismatches} (${verdict.rollupsChecked} rollups)`, '0'],
    ['fuzz cases / refused / stored / 5xx / reset', `${fuzzed.cases} / ${fuzzed.refused} / ${fuzzed.stored} / ${fuzzed.serverErrors} / ${fuzzed.resets}`, 'stored 0, 5xx 0'],
    ['SIGTERM trials: exit 0 / answered / consistent', `${terms.trials}: ${terms.exitZero} / ${terms.answered} / ${terms.consistent}`, 'all'],
    [`flood (${flooded.senders} senders, ${values.flood} s): requests / stored / 429 (with Retry-After) / 5xx / reset`, `${flooded.requests} / ${flooded.stored} / ${flooded.tooMany} (${flooded.withRetryAfter}) / ${flooded.serverErrors} / ${flooded.resets}`, '429s, 5xx 0'],
    ['health during flood: checks / p95 / max (ms)', `${flooded.healthChecks} / ${flooded.healthP95Ms} / ${flooded.healthMaxMs}`, ''],
  ]
  const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1)
  const table = [
    `Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${minutes} min, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)} (\`npm run faults -- --cycles ${cycles} --sigterm ${values.sigterm} --flood ${values.flood}\`)`,
    '',
    '| measure | result | should be |',
    '|---|---|---|',
    ...rows.map(([measure, result, should]) => `| ${measure} | ${result} | ${should} |`),
  ].join('\n')
  console.log(`\n${table}\n`)
  if (fuzzed.failures.length) console.log(`fuzz failures:\n  ${fuzzed.failures.join('\n  ')}`)
  if (values.readme) writeReadme(table)
  const ok = verdict.lost + verdict.doubled + verdict.partial + verdict.rollupMismatches + verdict.ledgerMissing + fuzzed.stored + fuzzed.serverErrors === 0 && terms.exitZero === terms.trials && terms.consistent === terms.trials && flooded.serverErrors === 0
  process.exit(ok ? 0 : 1)
}

/** Replaces the table between the reliability markers in README.md. */
function writeReadme(table: string): void {
  const file = path.join(process.cwd(), 'README.md')
  const text = fs.readFileSync(file, 'utf8')
  const begin = '<!-- faults:begin -->'
  const end = '<!-- faults:end -->'
  if (!text.includes(begin)) throw new Error('README.md has no reliability markers')
  fs.writeFileSync(file, text.slice(0, text.indexOf(begin) + begin.length) + `\n${table}\n` + text.slice(text.indexOf(end)))
  log('README.md reliability section updated')
}

main().catch((error: unknown) => {
  console.error(`[faults] failed: ${error instanceof Error ? error.stack : error}`)
  process.exit(1)
})
