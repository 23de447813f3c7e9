import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { layoutOf, readBankConfig } from '../../server/bulk/bankConfig'
import { openFileSource } from '../../server/bulk/fileSource'
import { mapHeader, payrollStageSql, stageParams, structureOf } from '../../server/bulk/stageSql'
import { FACT_COLUMNS } from '../../server/bulk/loadFile'
import { openDb, type Db } from '../../server/db/client'
import { migrate } from '../../server/db/migrate'
import { writePayroll } from './payrollFile'

/**
 * What the bulk loader's field checks cost in the engine, piece by piece, over rows already parsed
 * into memory (CSV parsing left out):
 *   npx tsx scripts/bench/bulkCheckCost.ts <rows> <work dir>
 * Times the whole staging statement, the statement without its problems list (conversion only),
 * then each problem expression alone (with the values it reads). CPU seconds of this process.
 */
const rows = Number(process.argv[2] ?? 200_000)
const work = process.argv[3] ?? '/tmp/ykt-bulk-check-cost'

async function cpuOf(db: Db, query: string, params: Record<string, unknown>): Promise<number> {
  const cpu = process.cpuUsage()
  await db.client.command({ query, query_params: params })
  const used = process.cpuUsage(cpu)
  return Number(((used.user + used.system) / 1e6).toFixed(3))
}

/** Splits the text of an SQL list at its top-level commas (quotes and brackets respected). */
function topLevel(list: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quote = false
  let start = 0
  for (let i = 0; i < list.length; i++) {
    const c = list[i]
    if (c === '\\') { i++; continue }
    if (c === "'") quote = !quote
    if (quote) continue
    if (c === '(' || c === '[') depth++
    if (c === ')' || c === ']') depth--
    if (c === ',' && depth === 0) { parts.push(list.slice(start, i).trim()); start = i + 1 }
  }
  parts.push(list.slice(start).trim())
  return parts.filter(Boolean)
}

async function main() {
  fs.rmSync(work, { recursive: true, force: true })
  fs.mkdirSync(work, { recursive: true })
  const file = path.join(work, 'payroll.csv')
  writePayroll(file, rows)
  const db = await openDb({ database: 'ykt', dataDir: path.join(work, 'data') })
  try {
    await migrate(db)
    const config = readBankConfig('nongshang')
    const layout = layoutOf(config, 'payroll')
    const source = await openFileSource(file, { encoding: 'utf-8' })
    const chunks = source.chunks()
    let next = await chunks.next()
    const structure = structureOf(source.header)
    await db.client.command({ query: `CREATE TABLE raw_csv (${structure}) ENGINE = Memory` })
    for (; !next.done; next = await chunks.next()) {
      const part = path.join(work, `c-${next.value.firstRecord}.csv`)
      fs.writeFileSync(part, next.value.csv)
    }
    await db.client.command({ query: `INSERT INTO raw_csv SELECT * FROM file('${work}/c-*.csv', 'CSV', '${structure}')` })
    const columns = mapHeader(source.header, layout, 'payroll')
    const params = { ...stageParams(layout, config.bank), batchId: 'cost' }
    await db.client.command({
      query: `CREATE TABLE chk ENGINE = Memory AS SELECT CAST(0, 'UInt64') AS line, CAST([], 'Array(Tuple(String, String))') AS problems, ${FACT_COLUMNS.join(', ')} FROM payment_detail WHERE 0`,
    })
    const sql = payrollStageSql('chk', columns, layout, false, { from: 'raw_csv', line: 'rowNumberInAllBlocks()' })
    const figures: Record<string, number> = {}
    figures['CSV parse only (file → Memory)'] = await cpuOf(db, `SELECT * FROM file('${work}/c-*.csv', 'CSV', '${structure}') FORMAT Null`, {})
    figures['whole staging statement'] = await cpuOf(db, sql, params)
    // The problems column is `if(<flags ORed>, arrayFilter(p -> p.1 != '', [<checks>]), [])` (sqlChecks.ts problemsOf).
    const problemsStart = sql.indexOf('row_line AS line,') + 'row_line AS line,'.length
    const problemsEnd = sql.indexOf(' AS problems')
    const withoutChecks = `${sql.slice(0, problemsStart)} CAST([], 'Array(Tuple(String, String))')${sql.slice(problemsEnd)}`
    const open = sql.indexOf('arrayFilter(p -> p.1 != \'\', [')
    const close = sql.lastIndexOf(']), [])', problemsEnd)
    figures['staging statement without the problems list'] = await cpuOf(db, withoutChecks, params)
    const rawInner = sql.slice(sql.indexOf('FROM (\n  SELECT *,') + 5, sql.lastIndexOf(')\n-- A blank line') + 1)
    // v_dept is the one value the outer SELECT names; the checks read it too.
    const dept = /\n  (if\(r_dept = ''.*) AS v_dept,\n/.exec(sql)?.[1] ?? "''"
    const inner = `(SELECT *, ${dept} AS v_dept FROM ${rawInner})`
    figures['reading the raw columns (count)'] = await cpuOf(db, `SELECT count() FROM ${inner} FORMAT Null`, params)
    for (const expression of topLevel(sql.slice(open + "arrayFilter(p -> p.1 != '', [".length, close))) {
      const field = /\('(\w+)',/.exec(expression)?.[1] ?? expression.slice(0, 40)
      const label = `check ${field}${figures[`check ${field}`] !== undefined ? ' (2)' : ''}`
      figures[label] = await cpuOf(db, `SELECT sum(cityHash64(${expression})) FROM ${inner} FORMAT Null`, params)
    }
    console.log(JSON.stringify({ rows, figures, loadavg: os.loadavg().map((l) => l.toFixed(1)) }, null, 1))
  } finally {
    await db.close()
    fs.rmSync(work, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message.split('\n')[0].slice(0, 400) : String(error))
  process.exit(1)
})
