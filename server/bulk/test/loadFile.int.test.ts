import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/client'
import { IngestGate } from '../../ingest/ingestGate'
import { idNumberProblem } from '../../ingest/idNumber'
import { makeIdNumber, withWrongCheckCharacter } from '../../ingest/test/fixtures'
import { discoverRollups } from '../../rollups/discover'
import { checkRollup } from '../../rollups/heal'
import { makeTempDir, openTempDb } from '../../testing/tempDb'
import { loadFile, type LoadOptions } from '../loadFile'
import { canonicalTime, dateParts, idNumberReason, isCanonicalTime, isRealDateTime, toTime } from '../sqlChecks'
import { csvText, NONGSHANG_HEADER, nongshangRow, toGbk, writeFile, xlsxOf } from './files'

const dir = makeTempDir('ykt-bulk-files-')
let db: Db

beforeAll(async () => {
  db = await openTempDb()
})
afterAll(() => db?.close())

const load = (file: string, options: Partial<LoadOptions> = {}) => loadFile(db, { file, bank: 'nongshang', kind: 'payroll', ...options })

async function one<T>(query: string, params: Record<string, unknown> = {}): Promise<T> {
  const result = await db.client.query({ query, query_params: params, format: 'JSONEachRow' })
  // Counts arrive as numbers or strings depending on the engine's JSON settings: compared as text here.
  const [row] = await result.json<Record<string, unknown>>()
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v])) as T
}

/** Every rollup over the facts compared with its views' SELECT over all facts (the healer's check, no repair). */
async function rollupsDisagreeing(): Promise<string[]> {
  const out: string[] = []
  for (const rollup of (await discoverRollups(db)).filter((r) => r.sources.includes('payment_detail'))) {
    const verdict = await checkRollup(db, new IngestGate(), rollup, { repair: false })
    if (verdict.mismatched.length > 0 || verdict.unchecked) out.push(rollup.table)
  }
  return out
}

const factsOf = (prefix: string) =>
  one<{ n: string; amount: string }>(`SELECT count() AS n, toString(sum(amount_paid)) AS amount FROM payment_detail WHERE startsWith(detail_id, {prefix:String})`, { prefix })

describe('npm run load: bank files in bulk', () => {
  it('loads a UTF-8 CSV payroll file: derived fields, batch id, rollups equal to the facts', async () => {
    const rows = Array.from({ length: 40 }, (_, n) => nongshangRow(n, { 明细编号: `U8-${n}`, 发放状态: n === 5 ? '1' : '0', 失败原因: n === 5 ? '账户已冻结' : '' }))
    const file = writeFile(dir, 'utf8.csv', '\ufeff' + csvText([NONGSHANG_HEADER, ...rows]))
    const result = await load(file)
    expect(result).toMatchObject({ status: 'loaded', format: 'csv', encoding: 'utf-8', rowsInFile: 40, rowsLoaded: 40, rowsRefused: 0, reportPath: null })
    const stored = await one<Record<string, string>>(
      `SELECT count() AS n, countIf(status = '失败') AS failed, any(batch_id) AS batch, countIf(bank = '农村商业银行') AS bank,
              countIf(county_code = substring(town_code, 1, 6) AND town_code = substring(village_code, 1, 9)) AS nested,
              countIf(birth_date = '1958-03-12') AS births, countIf(gender = '女') AS women, countIf(project_code = 'P01') AS p01,
              countIf(paying_unit = '惠民惠农财政补贴代发') AS units
       FROM payment_detail WHERE startsWith(detail_id, 'U8-')`,
    )
    expect(stored).toMatchObject({ n: '40', failed: '1', batch: result.batchId, bank: '40', nested: '40', births: '40', women: '20', p01: '40', units: '40' })
    expect(await rollupsDisagreeing()).toEqual([])
  })

  it('loads a GBK CSV file, detected without being told', async () => {
    const rows = Array.from({ length: 12 }, (_, n) => nongshangRow(100 + n, { 明细编号: `GBK-${n}`, 发放状态: '0' }))
    const file = writeFile(dir, 'gbk.csv', toGbk(csvText([NONGSHANG_HEADER, ...rows])))
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file))).toThrow()
    const result = await load(file)
    expect(result).toMatchObject({ status: 'loaded', encoding: 'gbk', rowsLoaded: 12 })
    const names = await one<{ names: string[] }>(`SELECT groupUniqArray(person_name) AS names FROM payment_detail WHERE startsWith(detail_id, 'GBK-')`)
    expect(names.names.sort()).toEqual(['张三', '阿依古丽·买买提'])
  })

  it('loads an Excel workbook: amounts in 分, dates as serial numbers, status codes of that bank', async () => {
    const header = ['交易流水号', '项目编码', '行政区划代码', '户名', '证件号码', '卡号', '金额(分)', '交易时间', '交易状态', '备注']
    const rows = Array.from({ length: 8 }, (_, n) => [`XL-${n}`, 'P02', nongshangRow(200 + n)[3], '李四', makeIdNumber(200 + n), `62280000${String(n).padStart(8, '0')}`, 30050 + n, 45422.375, n === 0 ? 'F' : 'S', n === 0 ? '户名不符' : ''])
    const file = writeFile(dir, 'abc.xlsx', xlsxOf([header, ...rows]))
    const result = await loadFile(db, { file, bank: 'abc', kind: 'payroll' })
    expect(result).toMatchObject({ status: 'loaded', format: 'xlsx', rowsLoaded: 8, amount: '2404.28' })
    const stored = await one<Record<string, string>>(
      `SELECT toString(min(pay_time)) AS t, toString(min(amount_paid)) AS a, countIf(status = '失败') AS failed, any(failure_reason) AS reason,
              countIf(fund_level = '县') AS county_level
       FROM payment_detail WHERE startsWith(detail_id, 'XL-') AND status = '失败'`,
    )
    // 45422.375 = 2024-05-10 09:00 (Excel counts days from 1900-01-01 as day 1, with 1900-02-29).
    expect(stored).toMatchObject({ t: '2024-05-10 09:00:00', a: '300.5', failed: '1', reason: '户名不符', county_level: '1' })
  })

  it('refuses a file with bad rows as a whole, naming line and field in the printed list and the report', async () => {
    const rows = Array.from({ length: 10 }, (_, n) => nongshangRow(300 + n, { 明细编号: `BAD-${n}` }))
    rows[2] = nongshangRow(302, { 明细编号: 'BAD-2', 身份证号: withWrongCheckCharacter(makeIdNumber(302)) }) // line 4
    rows[6] = nongshangRow(306, { 明细编号: 'BAD-6', 实发金额: '12.345', 发放日期: '2024-02-30' }) // line 8
    rows[8] = nongshangRow(308, { 明细编号: 'BAD-1' }) // line 10: the id of line 3 again
    const file = writeFile(dir, 'bad.csv', csvText([NONGSHANG_HEADER, ...rows]))
    const report = path.join(dir, 'bad-report.csv')
    const result = await load(file, { reportPath: report })
    expect(result.status).toBe('refused')
    expect(result.rowsRefused).toBe(4)
    expect(result.refusals).toEqual([
      { line: 3, field: 'detail_id', reason: 'appears 2 times in the file (lines 3, 10)' },
      { line: 4, field: 'id_number', reason: 'checksum digit wrong' },
      { line: 8, field: 'amount_paid', reason: 'must be an amount in 元 with at most two decimals' },
      { line: 8, field: 'pay_time', reason: 'must be a real date or time (2024-05-03 10:00:00, 20240503)' },
      { line: 10, field: 'detail_id', reason: 'appears 2 times in the file (lines 3, 10)' },
    ])
    expect(fs.readFileSync(report, 'utf8').split('\n')[0]).toBe('"line","field","reason"')
    expect(fs.readFileSync(report, 'utf8')).toContain('4,"id_number","checksum digit wrong"')
    expect((await factsOf('BAD-')).n).toBe('0')
    expect(await one<{ n: string }>(`SELECT count() AS n FROM bulk_file WHERE content_hash = {h:String}`, { h: result.contentHash })).toEqual({ n: '0' })

    // --accept-valid stores the six good rows, never the refused ones.
    const partial = await load(file, { reportPath: report, acceptValid: true })
    expect(partial).toMatchObject({ status: 'loaded', rowsLoaded: 6, rowsRefused: 4 })
    const stored = await one<{ ids: string[] }>(`SELECT arraySort(groupArray(detail_id)) AS ids FROM payment_detail WHERE startsWith(detail_id, 'BAD-')`)
    expect(stored.ids).toEqual(['BAD-0', 'BAD-3', 'BAD-4', 'BAD-5', 'BAD-7', 'BAD-9'])
  })

  it('refuses a row for each field check alone: every check raises its row (the flags) and names its field (the problems)', async () => {
    // One row per check, each wrong in that field only; a good row between them stays unrefused.
    const wrong: Array<[string, Partial<Record<string, string>>]> = [
      ['detail_id', { 明细编号: 'A B' }],
      ['period', { 所属期: '202413' }],
      ['project', { 补贴项目: '不存在的项目' }],
      ['village_code', { '村(社区)代码': '511000999999' }],
      ['person_name', { 姓名: '' }],
      ['person_name', { 姓名: '张3' }],
      ['id_number', { 身份证号: withWrongCheckCharacter(makeIdNumber(9)) }],
      ['card_number', { 社保卡号: '6221' }],
      ['phone', { 联系电话: '12345' }],
      ['amount_due', { 应发金额: '1.234' }],
      ['amount_paid', { 实发金额: '' }],
      ['amount_paid', { 实发金额: '100000000.00' }],
      ['pay_time', { 发放日期: '' }],
      ['pay_time', { 发放日期: '2017-12-31 10:00:00' }],
      ['status', { 发放状态: 'X7' }],
      ['failure_reason', { 失败原因: '冻结\u200b' }],
    ]
    const rows = [nongshangRow(900, { 明细编号: 'CHK-good' }), ...wrong.map(([, override], n) => nongshangRow(901 + n, { 明细编号: `CHK-${n}`, ...override }))]
    const result = await load(writeFile(dir, 'one-check-each.csv', csvText([NONGSHANG_HEADER, ...rows])))
    expect(result.status).toBe('refused')
    // line 2 is the good row; check n is on line n + 3
    expect(result.refusals.map((r) => [r.line, r.field])).toEqual(wrong.map(([field], n) => [n + 3, field]))
  })

  it('names exact lines across chunks and waves: a file cut into many chunks, staged several statements apart', async () => {
    // About 150 bytes a row: 4 KB chunks hold ~27 rows, 12 KB waves ~3 chunks, so 600 rows make ~22 chunks in ~8 waves.
    const cut = { chunkBytes: 4 << 10, waveBytes: 12 << 10 }
    const rows = Array.from({ length: 600 }, (_, n) => nongshangRow(1000 + n, { 明细编号: `WAVE-${n}`, 失败原因: n === 40 ? '原因含\n换行' : '' }))
    // Data record k is on line k + 2 (header = line 1); the quoted line break in record 40 does not shift later lines.
    const bad = [7, 95, 96, 311, 599]
    for (const k of bad) rows[k] = nongshangRow(1000 + k, { 明细编号: `WAVE-${k}`, 实发金额: 'x' })
    const file = writeFile(dir, 'waves.csv', csvText([NONGSHANG_HEADER, ...rows]))
    const waves: number[] = []
    const refused = await load(file, { ...cut, reportPath: path.join(dir, 'waves-report.csv'), onProgress: (event) => event.phase === 'read' && waves.push(event.rows) })
    expect(waves.length).toBeGreaterThan(4)
    expect(refused).toMatchObject({ status: 'refused', rowsInFile: 600, rowsRefused: 5 })
    expect(refused.refusals.map((r) => `${r.line} ${r.field}`)).toEqual(bad.map((k) => `${k + 2} amount_paid`))

    // A record CSV cannot read, in a later wave, is named by its line; nothing is stored.
    const broken = csvText([NONGSHANG_HEADER, ...rows.slice(0, 500)]).split('\r\n')
    broken[430] += ',extra'
    const unreadable = await load(writeFile(dir, 'waves-broken.csv', broken.join('\r\n')), cut).catch((error: Error) => error)
    expect(String(unreadable)).toMatch(/line 431: not readable as CSV/)
    expect((await factsOf('WAVE-')).n).toBe('0')

    const good = rows.map((row, k) => (bad.includes(k) ? nongshangRow(1000 + k, { 明细编号: `WAVE-${k}` }) : row))
    const loaded = await load(writeFile(dir, 'waves-good.csv', csvText([NONGSHANG_HEADER, ...good])), cut)
    expect(loaded).toMatchObject({ status: 'loaded', rowsLoaded: 600 })
    expect((await factsOf('WAVE-')).n).toBe('600')
  })

  it('reads a UTF-8 file of one wave in place: BOM, quoted line breaks and line numbers as when it is cut into chunks', async () => {
    const rows = Array.from({ length: 300 }, (_, n) => nongshangRow(2000 + n, { 明细编号: `WHOLE-${n}`, 失败原因: n === 20 ? '原因含\n换行' : '' }))
    const bad = [3, 150, 299]
    for (const k of bad) rows[k] = nongshangRow(2000 + k, { 明细编号: `WHOLE-${k}`, 实发金额: 'x' })
    const text = csvText([NONGSHANG_HEADER, ...rows])
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
    // The same file read in place and cut into chunks: the same refusals, on the same lines.
    const inPlace = await load(writeFile(dir, 'whole.csv', bom))
    const cut = await load(writeFile(dir, 'whole-cut.csv', Buffer.concat([bom, Buffer.from('\r\n')])), { chunkBytes: 4 << 10, waveBytes: 12 << 10 })
    expect(inPlace).toMatchObject({ status: 'refused', readBy: 'file', rowsInFile: 300, rowsRefused: 3 })
    expect(cut).toMatchObject({ status: 'refused', readBy: 'chunks', rowsInFile: 300, rowsRefused: 3 })
    expect(inPlace.refusals.map((r) => `${r.line} ${r.field}`)).toEqual(bad.map((k) => `${k + 2} amount_paid`))
    expect(cut.refusals).toEqual(inPlace.refusals)

    // A record CSV cannot read is named by its line.
    const broken = text.split('\r\n')
    broken[211] += ',extra'
    const unreadable = await load(writeFile(dir, 'whole-broken.csv', broken.join('\r\n'))).catch((error: Error) => error)
    expect(String(unreadable)).toMatch(/line 212: not readable as CSV/)

    // Bytes that are not UTF-8 past the part the encoding is guessed from: refused, naming where.
    const gbkTail = Buffer.concat([Buffer.from(csvText([NONGSHANG_HEADER, ...rows.slice(0, 10)])), Buffer.alloc(1 << 20, 0x20), toGbk('张三')])
    expect(String(await load(writeFile(dir, 'whole-gbk-tail.csv', gbkTail)).catch((error: Error) => error))).toMatch(/not valid UTF-8/)

    const good = rows.map((row, k) => (bad.includes(k) ? nongshangRow(2000 + k, { 明细编号: `WHOLE-${k}` }) : row))
    expect(await load(writeFile(dir, 'whole-good.csv', csvText([NONGSHANG_HEADER, ...good])))).toMatchObject({ status: 'loaded', readBy: 'file', rowsLoaded: 300 })
    expect(await one<{ r: string }>(`SELECT failure_reason AS r FROM payment_detail WHERE detail_id = 'WHOLE-20'`)).toEqual({ r: '原因含\n换行' })
    expect((await factsOf('WHOLE-')).n).toBe('300')
  })

  it('stores nothing the second time the same file is loaded, and refuses payments already stored under another file', async () => {
    const rows = Array.from({ length: 15 }, (_, n) => nongshangRow(400 + n, { 明细编号: `TWICE-${n}` }))
    const file = writeFile(dir, 'twice.csv', csvText([NONGSHANG_HEADER, ...rows]))
    expect((await load(file)).status).toBe('loaded')
    const after = await factsOf('TWICE-')
    const monthRows = await one<{ n: string }>(`SELECT sum(payments) AS n FROM agg_region_month WHERE region_code = '511000'`)
    const again = await load(file)
    expect(again).toMatchObject({ status: 'duplicate', rowsLoaded: 0 })
    expect(await factsOf('TWICE-')).toEqual(after)
    expect(await one<{ n: string }>(`SELECT sum(payments) AS n FROM agg_region_month WHERE region_code = '511000'`)).toEqual(monthRows)

    // The same payments in a file with other bytes (re-exported): each row refused, nothing doubled.
    const copy = writeFile(dir, 'twice-again.csv', csvText([NONGSHANG_HEADER, ...rows.slice(0, 3)]))
    const clash = await load(copy)
    expect(clash.status).toBe('refused')
    expect(clash.refusals.map((r) => `${r.line} ${r.field}`)).toEqual(['2 detail_id', '3 detail_id', '4 detail_id'])
    expect(await factsOf('TWICE-')).toEqual(after)
  })

  it('applies a return file: failures and returns change status, are traced, and the rollups follow', async () => {
    const rows = Array.from({ length: 6 }, (_, n) => nongshangRow(500 + n, { 明细编号: `RET-${n}`, 发放状态: '9' }))
    expect((await load(writeFile(dir, 'ret-payroll.csv', csvText([NONGSHANG_HEADER, ...rows]))))).toMatchObject({ status: 'loaded', rowsLoaded: 6 })
    const failedBefore = await one<{ n: string }>(`SELECT sum(payments) AS n FROM agg_region_month WHERE region_code = '511000' AND status = '失败'`)

    const header = ['明细编号', '处理结果', '失败原因', '账户户名', '户名证件号']
    const returns = [
      ['RET-0', '0', '', '', ''],
      ['RET-1', '1', '账户已销户', '', ''],
      ['RET-2', '2', '户名与证件不符', '王五', makeIdNumber(999)],
      ['RET-3', '0', '', '', ''],
    ]
    const file = writeFile(dir, 'return.csv', toGbk(csvText([header, ...returns])))
    const result = await loadFile(db, { file, bank: 'nongshang', kind: 'return' })
    expect(result).toMatchObject({ status: 'loaded', rowsLoaded: 4, changed: { 成功: 2, 失败: 1, 退回: 1 } })
    const stored = await one<{ s: string[] }>(`SELECT arrayMap(x -> concat(x.1, ' ', toString(x.2), ' ', x.3), arraySort(groupArray((detail_id, status, failure_reason)))) AS s FROM payment_detail WHERE startsWith(detail_id, 'RET-')`)
    expect(stored.s).toEqual(['RET-0 成功 ', 'RET-1 失败 账户已销户', 'RET-2 退回 户名与证件不符', 'RET-3 成功 ', 'RET-4 在途 ', 'RET-5 在途 '])
    expect(await one<{ h: string }>(`SELECT holder_id_number AS h FROM payment_detail WHERE detail_id = 'RET-2'`)).toEqual({ h: makeIdNumber(999) })
    const trace = await one<{ t: string[] }>(`SELECT arraySort(groupArray(concat(detail_id, ':', toString(from_status), '→', toString(to_status)))) AS t FROM payment_return FINAL WHERE content_hash = {h:String}`, { h: result.contentHash })
    expect(trace.t).toEqual(['RET-0:在途→成功', 'RET-1:在途→失败', 'RET-2:在途→退回', 'RET-3:在途→成功'])
    expect(await rollupsDisagreeing()).toEqual([])
    const failedAfter = await one<{ n: string }>(`SELECT sum(payments) AS n FROM agg_region_month WHERE region_code = '511000' AND status = '失败'`)
    expect(Number(failedAfter.n) - Number(failedBefore.n)).toBe(1)

    // A failed payment is settled by a re-issue, not turned into a success; unknown ids are refused.
    const wrong = writeFile(dir, 'return-wrong.csv', csvText([header, ['RET-1', '0', '', '', ''], ['NOPE-1', '1', '卡片挂失', '', ''], ['RET-4', '1', '', '', '']]))
    const refused = await loadFile(db, { file: wrong, bank: 'nongshang', kind: 'return' })
    expect(refused.status).toBe('refused')
    expect(refused.refusals).toEqual([
      { line: 2, field: 'status', reason: 'the payment is 失败 already: a return cannot make it 成功 (a failed payment is settled by a re-issue with reissue_of)' },
      { line: 3, field: 'detail_id', reason: 'no stored payment has this detail id' },
      { line: 4, field: 'failure_reason', reason: 'is required for a failed or returned payment (日销号: every failure traced with its cause)' },
    ])
    expect((await one<{ s: string }>(`SELECT toString(status) AS s FROM payment_detail WHERE detail_id = 'RET-1'`)).s).toBe('失败')

    // The same return file again: nothing changes, nothing traced twice.
    expect((await loadFile(db, { file, bank: 'nongshang', kind: 'return' })).status).toBe('duplicate')
    expect(await one<{ n: string }>(`SELECT count() AS n FROM payment_return FINAL WHERE content_hash = {h:String}`, { h: result.contentHash })).toEqual({ n: '4' })
  })

  it('refuses a file whose header lacks a required column, naming it', async () => {
    const file = writeFile(dir, 'noid.csv', csvText([NONGSHANG_HEADER.filter((h) => h !== '身份证号'), ['x']]))
    await expect(load(file)).rejects.toThrow(/身份证号 \(id_number\)/)
    // A row ClickHouse's CSV reader cannot read refuses the file, naming the line; nothing is stored.
    const broken = writeFile(dir, 'broken.csv', csvText([NONGSHANG_HEADER, nongshangRow(800, { 明细编号: 'BRK-1' })]) + 'a,b\n' + csvText([nongshangRow(801, { 明细编号: 'BRK-2' })]))
    await expect(load(broken)).rejects.toThrow(/^line 3: not readable as CSV/)
    expect((await factsOf('BRK-')).n).toBe('0')
  })

  it('reads quoted fields with commas, quotes and line breaks, and blank lines at the end', async () => {
    const rows = [nongshangRow(810, { 明细编号: 'QT-1', 发放状态: '1', 失败原因: '账户冻结, "司法"\n另行处理' }), nongshangRow(811, { 明细编号: 'QT-2' })]
    const result = await load(writeFile(dir, 'quoted.csv', csvText([NONGSHANG_HEADER, ...rows]) + '\r\n\r\n'))
    expect(result).toMatchObject({ status: 'loaded', rowsLoaded: 2 })
    expect(await one<{ r: string }>(`SELECT failure_reason AS r FROM payment_detail WHERE detail_id = 'QT-1'`)).toEqual({ r: '账户冻结, "司法"\n另行处理' })
  })

  it('checks 身份证号 in SQL exactly as the HTTP feed does in TypeScript', async () => {
    const ids = [
      '11010519491231002X', makeIdNumber(1), makeIdNumber(2, '20000229', '女'), withWrongCheckCharacter(makeIdNumber(3)),
      '51102519000229001X', '5110251958031200', '01102519580312001X', '51102519580231001X', '511025209901010011', '51102518991231001X',
      '51102519580312001x', '５11025195803120011',
    ]
    const result = await db.client.query({
      query: `SELECT id, ${idNumberReason('id')} AS reason FROM (SELECT arrayJoin({ids:Array(String)}) AS id)`,
      query_params: { ids, today8: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '') },
      format: 'JSONEachRow',
    })
    const sql = await result.json<{ id: string; reason: string }>()
    expect(sql.map((row) => row.reason)).toEqual(ids.map((id) => idNumberProblem(id) ?? ''))
  })

  it('reads canonical pay times the fast way with the same verdict and value as the bank-forms way', async () => {
    const texts = [
      '2024-05-03 10:00:00', '2024-02-29 23:59:59', '2023-02-29 10:00:00', '2024-02-30 00:00:00', '2024-05-01 24:00:00', '2024-05-01 23:60:00',
      '2024-05-01 23:59:60', '2106-03-01 00:00:00', '1969-12-31 23:59:59', '1970-01-01 08:00:00', '2024-05-01 9:30:00', '2024/05/01 09:30:00',
      '20240501', '2024年5月1日 09:30', '2024-05-01T09:30:00', '2024-05-01 09:30:00.5', '0000-00-00 00:00:00', '2024-5-1 09:30:00', '',
    ]
    const result = await db.client.query({
      query: `SELECT v, fast, fast OR ${isRealDateTime('g')} AS ok, toString(if(fast, assumeNotNull(f), ${toTime('g')})) AS time,
                     ${isRealDateTime('g')} AS ok_slow, toString(${toTime('g')}) AS time_slow
              FROM (SELECT v, ${dateParts('v', false)} AS g, ${canonicalTime('v')} AS f, ${isCanonicalTime('f', 'v')} AS fast FROM (SELECT arrayJoin({texts:Array(String)}) AS v))`,
      query_params: { texts },
      format: 'JSONEachRow',
    })
    const rows = await result.json<{ v: string; fast: number; ok: number; time: string; ok_slow: number; time_slow: string }>()
    expect(rows.map((row) => [row.v, Boolean(row.ok), row.time])).toEqual(rows.map((row) => [row.v, Boolean(row.ok_slow), row.time_slow]))
    expect(rows.filter((row) => row.fast).map((row) => row.v)).toEqual(['2024-05-03 10:00:00', '2024-02-29 23:59:59', '1970-01-01 08:00:00'])
  })
})
