import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childrenOf } from '../../geo/regions'
import { openTempDb } from '../testing/tempDb'
import type { Db } from '../db/client'
import { startAccessServer, signIn, type AccessServer } from '../access/testing/accessServer'
import { createUser } from '../access/userStore'
import { issueDisplayToken } from '../access/displayTokenStore'
import { listAudit } from '../access/auditLog'
import { findUnmaskedPersonalData, maskIdNumber, maskName } from '../access/mask'
import { registerRecordRoutes } from './routes'
import { listRecords } from './listRecords'
import { fixtureRows, insertFixtureRows, type FixtureRow } from './testing/paymentFixtures'

let db: Db & { dataDir: string }
let app: AccessServer
let rows: FixtureRow[]
const PASSWORD = 'records-test-pass'
const cookies: Record<string, string> = {}
let wallToken = ''
const [townA] = childrenOf('511025')

beforeAll(async () => {
  db = await openTempDb()
  app = await startAccessServer(db, { register: registerRecordRoutes, env: { ADMIN_PASSWORD: PASSWORD } })
  rows = fixtureRows(3)
  await insertFixtureRows(db, rows)
  const users = [
    ['leader', 'leader', '511000'],
    ['staff-zz', 'staff', '511025'],
    ['staff-town', 'staff', townA.code],
    ['supervisor', 'supervisor', '511000'],
    ['supervisor-zz', 'supervisor', '511025'],
  ] as const
  for (const [username, role, scope] of users) {
    await createUser(db, { username, role, scope, password: PASSWORD })
    cookies[username] = await signIn(app.url, username, PASSWORD)
  }
  cookies.admin = await signIn(app.url, 'admin', PASSWORD)
  wallToken = (await issueDisplayToken(db, { label: 'wall', scope: '511000', createdBy: 'test' })).token
})
afterAll(async () => {
  await app?.close()
  await db?.close()
})

const get = (path: string, who: string) => fetch(`${app.url}${path}`, { headers: { cookie: cookies[who] } })
const reveal = (who: string, body: unknown) =>
  fetch(`${app.url}/api/reveal`, { method: 'POST', headers: { 'content-type': 'application/json', origin: app.url, cookie: cookies[who] }, body: JSON.stringify(body) })
interface Page { rows: Array<Record<string, string>>; total: number }

describe('GET /api/records', () => {
  it('shows a staff member only their county by default, masked, and audits the view', async () => {
    const response = await get('/api/records?pageSize=100', 'staff-zz')
    expect(response.status).toBe(200)
    const text = await response.text()
    const page = JSON.parse(text) as Page
    const expected = rows.filter((row) => row.county_code === '511025')
    expect(page.total).toBe(expected.length)
    expect(new Set(page.rows.map((row) => row.county_code))).toEqual(new Set(['511025']))
    expect(findUnmaskedPersonalData(text)).toEqual([])
    const sample = page.rows.find((row) => row.detail_id === expected[0].detail_id)!
    expect(sample.person_name).toBe(maskName(expected[0].person_name))
    expect(sample.id_number).toBe(maskIdNumber(expected[0].id_number))
    expect(sample.proxy_holder_name).toBe(maskName(expected[0].proxy_holder_name))
    expect(sample).not.toHaveProperty('birth_date')
    const [audit] = await listAudit(db, { action: 'records.view', actor: 'staff-zz' })
    expect(audit.target).toBe('511025')
    expect(JSON.parse(audit.detail)).toMatchObject({ rows: expected.length, total: expected.length })
    expect(findUnmaskedPersonalData(JSON.stringify(audit))).toEqual([])
  })

  it('pages on the server and caps the page size at 100', async () => {
    const pages: Page[] = []
    for (const page of [1, 2, 3]) pages.push((await (await get(`/api/records?region=511025&pageSize=4&page=${page}`, 'leader')).json()) as Page)
    expect(pages.map((page) => page.rows.length)).toEqual([4, 4, 1])
    expect(pages.every((page) => page.total === 9)).toBe(true)
    expect(new Set(pages.flatMap((page) => page.rows.map((row) => row.detail_id))).size).toBe(9)
    expect((await get('/api/records?pageSize=101', 'leader')).status).toBe(400)
  })

  it('filters by project, period and status', async () => {
    const page = (await (await get('/api/records?region=511000&period=202406&status=失败&project=P01', 'leader')).json()) as Page
    const expected = rows.filter((row) => row.period === 202406 && row.status === '失败')
    expect(page.total).toBe(expected.length)
    expect(page.total).toBeGreaterThan(0)
  })

  it('refuses another county with 403 and limits a town-scoped user to the town', async () => {
    expect((await get('/api/records?region=511002', 'staff-zz')).status).toBe(403)
    expect((await get('/api/records?region=511025', 'staff-town')).status).toBe(403)
    const village = rows.find((row) => row.county_code === '511002')!.village_code
    expect((await get(`/api/records?region=${village}`, 'staff-zz')).status).toBe(403)
    const page = (await (await get('/api/records?pageSize=100', 'staff-town')).json()) as Page
    expect(page.total).toBe(rows.filter((row) => row.town_code === townA.code).length)
    expect(page.rows.every((row) => row.town_code === townA.code)).toBe(true)
  })

  it('limits rows to the scope in SQL even when the region check is bypassed', async () => {
    const staff = { id: 'user:staff-zz', name: 'staff-zz', role: 'staff' as const, scope: '511025' }
    const forged = await listRecords(db, staff, { region: '511002', page: 1, pageSize: 100 })
    expect(forged.total).toBe(0)
    const village = rows.find((row) => row.county_code === '511002')!.village_code
    expect((await listRecords(db, staff, { region: village, page: 1, pageSize: 100 })).rows).toEqual([])
  })

  it('refuses wall screens and anonymous callers', async () => {
    expect((await fetch(`${app.url}/api/records`, { headers: { authorization: `Bearer ${wallToken}` } })).status).toBe(403)
    expect((await fetch(`${app.url}/api/records`)).status).toBe(401)
    expect((await fetch(`${app.url}/api/records/export.csv`, { headers: { authorization: `Bearer ${wallToken}` } })).status).toBe(403)
  })

  it('refuses or neutralises injection strings in every parameter', async () => {
    const evil = ["511025' OR '1'='1", '511025 OR 1=1', "P01' --", '202406; DROP TABLE payment_detail', '1 UNION SELECT id_number FROM payment_detail', '{scope:String}']
    for (const value of evil) {
      for (const name of ['region', 'project', 'period', 'status', 'page', 'pageSize']) {
        const response = await get(`/api/records?${name}=${encodeURIComponent(value)}`, 'staff-zz')
        expect([400, 403], `${name}=${value}`).toContain(response.status)
      }
    }
    // The table is still there and the scope still holds.
    const page = (await (await get('/api/records?pageSize=100', 'staff-zz')).json()) as Page
    expect(page.total).toBe(rows.filter((row) => row.county_code === '511025').length)
  })
})

describe('records staff can use', () => {
  const flagged = () => rows.filter((row) => row.county_code === '511025').slice(0, 2)
  beforeAll(async () => {
    const [a, b] = flagged()
    await db.client.insert({
      table: 'flag',
      format: 'JSONEachRow',
      values: [{ flag_id: 'F-TEST-R02', rule_id: 'R02', case_key: 'k1', severity: 'critical', class: '政策风险', county_code: '511025', town_code: a.town_code, village_code: a.village_code, amount: 600, subject: '测**', detail_ids: [a.detail_id, b.detail_id], detected_at: '2024-07-16 09:00:00.000' }],
    })
  })

  it('gives project names, each record\'s flags and a real 数据截至', async () => {
    const page = (await (await get('/api/records?region=511025&pageSize=100', 'leader')).json()) as Page & { asOf: string; rows: Array<Record<string, unknown>> }
    expect(page.rows.every((row) => typeof row.project_name === 'string' && row.project_name !== 'P01' && String(row.project_name).length > 2)).toBe(true)
    const withFlags = page.rows.filter((row) => (row.flags as unknown as unknown[]).length > 0)
    expect(withFlags.map((row) => row.detail_id).sort()).toEqual(flagged().map((row) => row.detail_id).sort())
    expect(withFlags[0].flags).toEqual([{ flagId: 'F-TEST-R02', ruleId: 'R02', ruleName: expect.any(String), severity: 'critical' }])
    // the newest payment of the rows asked for, in Beijing time
    expect(page.asOf).toBe('2024-07-15T10:00:00+08:00')
  })

  it('filters by flagged rule and by one flag (a flag → its records), and sorts', async () => {
    const byRule = (await (await get('/api/records?region=511025&rule=R02', 'leader')).json()) as Page
    expect(byRule.rows.map((row) => row.detail_id).sort()).toEqual(flagged().map((row) => row.detail_id).sort())
    const byFlag = (await (await get('/api/records?flag=F-TEST-R02', 'staff-zz')).json()) as Page
    expect(byFlag.total).toBe(2)
    expect((await (await get('/api/records?rule=R01', 'leader')).json() as Page).total).toBe(0)
    expect((await get('/api/records?rule=R99', 'leader')).status).toBe(400)
    expect((await get("/api/records?flag=x' OR 1=1", 'leader')).status).toBe(400)
    expect((await get('/api/records?sort=detail_id', 'leader')).status).toBe(400)
    const ascending = (await (await get('/api/records?region=511025&sort=time-asc&pageSize=100', 'leader')).json()) as Page
    const times = ascending.rows.map((row) => row.pay_time)
    expect(times).toEqual([...times].sort())
    expect(times[0]).not.toBe(times.at(-1))
    const descending = (await (await get('/api/records?region=511025&sort=time-desc&pageSize=100', 'leader')).json()) as Page
    expect(descending.rows.map((row) => row.pay_time)).toEqual([...times].reverse())
  })
})

describe('GET /api/records/export.csv', () => {
  it('exports the same filtered rows, masked, and audits the export', async () => {
    const response = await get('/api/records/export.csv?region=511025&status=成功', 'staff-zz')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/csv')
    const csv = await response.text()
    const lines = csv.trim().split('\r\n')
    // a first line saying what the file is, Chinese headers with units, then the rows
    expect(lines).toHaveLength(2 + rows.filter((row) => row.county_code === '511025' && row.status === '成功').length)
    expect(lines[0]).toMatch(/^发放明细（已脱敏）；地区：资中县；筛选：status=成功；导出：staff-zz \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}（北京时间）$/)
    expect(lines[1].split(',').slice(0, 3)).toEqual(['项目名称', '明细编号', '批次号'])
    expect(lines[1]).toContain('实发金额（元）')
    expect(response.headers.get('content-disposition')).toMatch(/filename="records-511025-\d{8}-\d{4}\.csv"/)
    expect(findUnmaskedPersonalData(csv)).toEqual([])
    expect(csv).not.toContain('511002')
    const [audit] = await listAudit(db, { action: 'records.export', actor: 'staff-zz' })
    expect(JSON.parse(audit.detail).rows).toBe(lines.length - 2)
  })
})

describe('POST /api/reveal', () => {
  const target = () => rows.find((row) => row.county_code === '511025')!

  it('gives a supervisor one field with a reason, and audits the reason', async () => {
    const response = await reveal('supervisor', { detailId: target().detail_id, field: 'id_number', reason: '核查重复领取线索' })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ detailId: target().detail_id, field: 'id_number', value: target().id_number })
    const [audit] = await listAudit(db, { action: 'records.reveal', actor: 'supervisor' })
    expect(audit).toMatchObject({ target: target().detail_id, outcome: 'ok' })
    expect(JSON.parse(audit.detail)).toEqual({ field: 'id_number', reason: '核查重复领取线索' })
  })

  it('refuses other roles, a missing or short reason, unknown fields and out-of-scope records', async () => {
    for (const who of ['leader', 'staff-zz', 'admin']) {
      expect((await reveal(who, { detailId: target().detail_id, field: 'phone', reason: '核查线索原因' })).status).toBe(403)
    }
    expect((await reveal('supervisor', { detailId: target().detail_id, field: 'phone' })).status).toBe(400)
    expect((await reveal('supervisor', { detailId: target().detail_id, field: 'phone', reason: '  看看 ' })).status).toBe(400)
    expect((await reveal('supervisor', { detailId: target().detail_id, field: 'birth_date', reason: '核查线索原因' })).status).toBe(400)
    expect((await reveal('supervisor', { detailId: "x' OR 1=1 --", field: 'phone', reason: '核查线索原因' })).status).toBe(400)
    const outside = rows.find((row) => row.county_code === '511002')!
    expect((await reveal('supervisor-zz', { detailId: outside.detail_id, field: 'phone', reason: '核查线索原因' })).status).toBe(404)
    const audits = await listAudit(db, { action: 'records.reveal', actor: 'supervisor' })
    expect(audits.filter((row) => row.outcome === 'denied').length).toBeGreaterThanOrEqual(3)
    expect((await listAudit(db, { action: 'records.reveal', actor: 'supervisor-zz' }))[0].outcome).toBe('failed')
    expect((await listAudit(db, { action: 'access.denied', actor: 'leader' })).length).toBeGreaterThan(0)
  })

  it('keeps personal data typed into a reason out of the audit log', async () => {
    const response = await reveal('supervisor', { detailId: target().detail_id, field: 'phone', reason: `核对 ${target().id_number} 的电话` })
    expect(response.status).toBe(200)
    const [audit] = await listAudit(db, { action: 'records.reveal', actor: 'supervisor' })
    expect(findUnmaskedPersonalData(JSON.stringify(audit))).toEqual([])
  })
})
