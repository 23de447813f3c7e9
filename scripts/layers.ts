/**
 * The layer arrows, checked on every `npm run lint` (first step of `npm test`, so CI fails on a
 * violation). Data flows ingest → db → metrics → live → app; code may only import against that
 * flow (live imports metrics, never the reverse). Rules, simulate and records sit beside metrics.
 *
 * Reads each tracked .ts/.tsx file's imports with the TypeScript compiler's pre-processor
 * (static, `export … from` and dynamic `import()`), resolves the relative ones to files and
 * checks every arrow against RULES. Tests and test harnesses may reach across layers to set up
 * what they test; only production files are checked.
 *
 *   npx tsx scripts/layers.ts          # exits 1 with one line per violation
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import ts from 'typescript'

interface Rule {
  name: string
  /** importing file (path from the repository root) */
  from: RegExp
  /** imported file */
  to: RegExp
  why: string
}

const RULES: Rule[] = [
  { name: 'app-not-server', from: /^app\//, to: /^server\//, why: 'pages get data over HTTP and Socket.IO; shared shapes live in dashboards/' },
  { name: 'shared-is-leaf', from: /^(dashboards|geo)\//, to: /^(server|app|scripts)\//, why: 'dashboards/ and geo/ are read by server and pages alike' },
  { name: 'catalogue-is-leaf', from: /^server\/catalogue\//, to: /^server\/(?!catalogue\/)/, why: 'catalogue facts (projects, thresholds) are read by ingest, rules, metrics and simulate' },
  { name: 'catalogue-through-module', from: /^(?!server\/catalogue\/)/, to: /^server\/catalogue\/projects\.json$/, why: 'server/catalogue parses and validates the catalogue once; read it through that module' },
  { name: 'db-is-base', from: /^server\/db\//, to: /^server\/(ingest|metrics|live|rules|records|simulate|notify|rollups|http|access)\//, why: 'db keeps the client and migrations; everything reads through it' },
  { name: 'ingest-below-metrics', from: /^server\/ingest\//, to: /^server\/(metrics|live|rules|records|simulate|rollups)\//, why: 'ingest stores facts; it knows nothing of what is computed from them' },
  { name: 'metrics-below-live', from: /^server\/metrics\//, to: /^server\/(live|rules|simulate|records|notify)\//, why: 'metrics read the database; live serves them, rules write flags they read' },
  { name: 'live-not-domain-writers', from: /^server\/live\//, to: /^server\/(rules|simulate|records)\//, why: 'the live core serves metrics; it does not evaluate rules or generate data' },
  { name: 'simulate-beside-ingest', from: /^server\/simulate\//, to: /^server\/(rules|metrics|live|records|notify)\//, why: 'the generator writes facts as ingest does; shared thresholds live in server/catalogue' },
  { name: 'rules-not-live', from: /^server\/rules\//, to: /^server\/(live|simulate|records|metrics)\//, why: 'rules write flags; metrics (server/metrics/wall) read them' },
  {
    name: 'http-in-routes',
    from: /^server\/(?!http\/|access\/|app\.ts|parts\.ts)(?!.*(\/routes\.ts|\/routes\/))/,
    to: /^server\/http\//,
    why: 'domain modules throw domain errors; route modules map them to HTTP statuses',
  },
]

/**
 * Arrows that break a rule today, each with the reason it stays for now. An entry that no longer
 * matches anything fails the check too, so this list only shrinks.
 */
const ALLOWED: Array<{ rule: string; from: RegExp; to: RegExp; why: string }> = [
  {
    rule: 'http-in-routes',
    from: /^server\/ingest\/(bearer|readBatch|storeBatch|validateBatch|worker\/pool|worker\/prepareTask)\.ts$/,
    to: /^server\/http\/router\.ts$/,
    why: 'ingest still throws HttpError below its routes (its internals are being rewritten on another branch); switch to DomainError after that merge',
  },
  {
    rule: 'metrics-below-live',
    from: /^server\/metrics\/(wall\/\w+|leader\/atStake)\.ts$/,
    to: /^server\/rules\/(catalog\/index|catalog\/R17-approvalOverdue|queries\/(listFlags|scopedAmounts)|ledger\/approvals|params|sql|types)\.ts$/,
    why: 'wall metrics read the flag and ledger tables through the rules\' SQL pieces; those pieces belong in a leaf',
  },
]

/**
 * Tests by kind: a test that opens chDB, starts the server, or drives Socket.IO or Chromium is an
 * integration test and is named `*.int.test.ts`, so `npm run test:unit` stays pure and fast.
 */
const INTEGRATION_IMPORTS = /^(server\/testing\/tempDb\.ts|server\/app\.ts|server\/db\/client\.ts|tests\/browser\/harness\.ts|chdb|socket\.io-client|playwright-core)$/
const isUnitTest = (file: string) => /\.test\.tsx?$/.test(file) && !/\.int\.test\.tsx?$/.test(file)

/**
 * Modules that read through server/sql (fragments, parsed rows, one paging rule) and may no longer
 * call the database client themselves. Add a folder here when it moves over.
 */
const READS_THROUGH_SQL = /^server\/records\//
const DIRECT_CLIENT_CALL = /\bclient\.(query|insert|command|exec)\(/

const isTest = (file: string) => /\.test\.tsx?$|\/(test|testing)\/|^tests\//.test(file)

function resolveImport(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null
  const base = normalize(join(dirname(fromFile), specifier))
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  return base
}

export interface Violation {
  rule: string
  from: string
  to: string
  why: string
}

export function checkLayers(root: string): { violations: Violation[]; unusedAllowances: string[] } {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file && existsSync(join(root, file)))
  const violations: Violation[] = []
  const used = new Set<number>()
  for (const file of files) {
    if (isTest(file) && !isUnitTest(file)) continue
    const text = readFileSync(join(root, file), 'utf8')
    if (!isTest(file) && READS_THROUGH_SQL.test(file) && DIRECT_CLIENT_CALL.test(text))
      violations.push({ rule: 'reads-through-sql', from: file, to: 'db.client', why: 'this module reads through server/sql (select, selectPage)' })
    const { importedFiles } = ts.preProcessFile(text, true, true)
    for (const imported of importedFiles) {
      const resolved = resolveImport(join(root, file), imported.fileName)
      const target = resolved ? relative(root, resolved) : imported.fileName
      if (isUnitTest(file)) {
        if (INTEGRATION_IMPORTS.test(target))
          violations.push({ rule: 'unit-test-is-pure', from: file, to: target, why: 'a test using chDB, the server, Socket.IO or Chromium is named *.int.test.ts' })
        continue
      }
      if (!resolved) continue
      for (const rule of RULES) {
        if (!rule.from.test(file) || !rule.to.test(target)) continue
        const allowance = ALLOWED.findIndex((a) => a.rule === rule.name && a.from.test(file) && a.to.test(target))
        if (allowance >= 0) used.add(allowance)
        else violations.push({ rule: rule.name, from: file, to: target, why: rule.why })
      }
    }
  }
  const unusedAllowances = ALLOWED.filter((_, i) => !used.has(i)).map((a) => `${a.rule}: ${a.from} → ${a.to}`)
  return { violations, unusedAllowances }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { violations, unusedAllowances } = checkLayers(process.cwd())
  for (const v of violations) console.error(`layers: ${v.from} → ${v.to} breaks ${v.rule} (${v.why})`)
  for (const a of unusedAllowances) console.error(`layers: allowance no longer needed, remove it from scripts/layers.ts: ${a}`)
  if (violations.length || unusedAllowances.length) process.exit(1)
  console.log('layers: every import follows the layer rules')
}
