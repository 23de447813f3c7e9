/**
 * `npm run bench`: what screens see, measured from outside the server. The server runs as
 * `npm start` runs it (its own process, rule engine on, demo data of the chosen scale from the demo
 * generator, simulated feed off); screens, pollers and senders run in client processes of their
 * own and reach it only through the admin CLI, HTTP, Socket.IO and /api/health (plus the
 * event-loop probe BENCH_PROBE=on adds). Not part of the tests: it takes minutes and every core.
 *   npm run bench                          small scale (quick; a fresh 100 000-payment city)
 *   npm run bench -- --scale 10m           10 M payments (seeded once into /tmp/ykt-bench-10m)
 *   npm run bench -- --sections full-refresh,ingest-to-screen --screens 200
 */
import fs from 'node:fs'
import os from 'node:os'
import { parseOptions } from './bench/options'
import { sampleLoad, startEnvironment, comparable } from './bench/environment'
import { startBenchServer } from './bench/server'
import { copyDataForBaseline } from './bench/baseline'
import { sections } from './bench/sections'
import type { BenchSection, SectionResult } from './bench/sections/types'
import { printReport } from './bench/report'
import { describeData } from './bench/dataShape'

const options = parseOptions(process.argv.slice(2))
const environment = startEnvironment()
const runId = Math.floor(Date.now() / 1000) % 100_000
const log = (line: string) => console.error(`[bench ${options.scale}] ${line}`)
const jsonPath = `${options.dataDir}.results.json`
const chosen = options.sections ? sections.filter((section) => options.sections!.includes(section.id)) : sections
if (options.sections && chosen.length !== options.sections.length) {
  console.error(`unknown section; sections: ${sections.map((section) => section.id).join(', ')}`)
  process.exit(2)
}

log(`cores ${environment.cores}, load average ${environment.loadAtStart.toFixed(2)} at start`)
if (options.fresh) fs.rmSync(options.dataDir, { recursive: true, force: true })
else if (options.baseline) copyDataForBaseline(options.dataDir, log)
const server = await startBenchServer({ dataDir: options.dataDir, demoScale: options.demoScale, apiOnly: options.apiOnly, runId, log, settleRules: options.settleRules })
const ran: Array<{ section: BenchSection; result: SectionResult | Error }> = []
const results = new Map<string, SectionResult>()
let batchNumbers = 0
try {
  environment.data = await describeData(server)
  log(`data: ${environment.data}`)
  for (const section of chosen) {
    sampleLoad(environment)
    log(`section ${section.id} (load average ${os.loadavg()[0].toFixed(2)})`)
    try {
      const result = await section.run({
        options,
        server,
        runId,
        results,
        log,
        takeBatchNumbers: (count) => ((batchNumbers += count), batchNumbers - count),
      })
      results.set(section.id, result)
      ran.push({ section, result })
    } catch (error) {
      log(`section ${section.id} failed: ${error instanceof Error ? error.stack : error}`)
      ran.push({ section, result: error instanceof Error ? error : new Error(String(error)) })
      process.exitCode = 1
    }
  }
} finally {
  sampleLoad(environment, true)
  await server.stop()
}
fs.writeFileSync(jsonPath, JSON.stringify({ options, environment, comparable: comparable(environment), results: Object.fromEntries(results) }, null, 2))
printReport(environment, ran, jsonPath)
