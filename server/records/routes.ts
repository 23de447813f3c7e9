import { z } from 'zod'
import type { Router } from '../http/router'
import { HttpError, sendJson } from '../http/router'
import { recordAudit } from '../access/auditLog'
import { clientIp } from '../access/cookies'
import { PERSONAL_FIELDS, maskRecord, type PersonalField } from '../access/mask'
import type { Role } from '../access/principal'
import { readJsonBody } from '../access/requestJson'
import { normalizeTyped, reasonProblem } from '../access/visibleText'
import { RECORD_COLUMNS, firstRecords, listRecords } from './listRecords'
import { describeFilter, orderBy, parseRecordFilter, recordWhere } from './recordFilters'
import { projectName } from '../catalogue/projectFacts'
import { getRegion } from '../../geo/regions'
import { projects } from '../catalogue/index'
import { rules } from '../rules/catalog/index'
import { revealField } from './revealField'
import { RECORD_TITLES, beijingStamp, toCsv } from './recordsCsv'

/** People may look at records; wall screens never (they show aggregates only). */
export const RECORD_ROLES: readonly Role[] = ['leader', 'staff', 'supervisor', 'admin']
/** Only the discipline-inspection supervisor may unmask a field, and only with a reason. */
export const REVEAL_ROLES: readonly Role[] = ['supervisor']
/** An export is a download a person can carry away: capped, masked, audited. */
export const MAX_EXPORT_ROWS = 50_000

const revealBody = z.object({
  detailId: z.string().regex(/^[\w.:/()\-\u4e00-\u9fff]{1,64}$/),
  field: z.enum(Object.keys(PERSONAL_FIELDS) as [PersonalField, ...PersonalField[]]),
  // Counted in characters one can see: zero-width spaces, `....` or `abcd` are no reason.
  reason: z
    .string()
    .max(200)
    .superRefine((text, issue) => {
      const problem = reasonProblem(text)
      if (problem) issue.addIssue({ code: 'custom', message: problem })
    })
    .transform(normalizeTyped),
})

/** GET /api/records, GET /api/records/export.csv, POST /api/reveal. */
export function registerRecordRoutes(router: Router): void {
  router.on('GET', '/api/records', async (req, res, ctx, _params, url) => {
    const who = await ctx.auth.require(req, RECORD_ROLES)
    const filter = parseRecordFilter(url.searchParams, who)
    const page = await listRecords(ctx.db, who, filter)
    await recordAudit(ctx.db, {
      actor: who.name, role: who.role, action: 'records.view', target: filter.region, outcome: 'ok', ip: clientIp(req),
      detail: { filter: describeFilter(filter), rows: page.rows.length, total: page.total },
    })
    sendJson(res, 200, page)
  })

  // what the records filters offer: project names by code, rules by id (no data, only the catalogues)
  router.on('GET', '/api/records/options', async (req, res, ctx) => {
    await ctx.auth.require(req, RECORD_ROLES)
    sendJson(res, 200, { projects: projects.map((p) => [p.code, p.name]), rules: rules.map((r) => [r.id, r.name]) })
  })

  router.on('GET', '/api/records/export.csv', async (req, res, ctx, _params, url) => {
    const who = await ctx.auth.require(req, RECORD_ROLES)
    const filter = parseRecordFilter(url.searchParams, who)
    const rows = (await firstRecords(ctx.db, recordWhere(filter, who), orderBy(filter.sort), MAX_EXPORT_ROWS + 1)).map((row) => ({ ...maskRecord(row), project_name: projectName(String(row.project_code)) }))
    const truncated = rows.length > MAX_EXPORT_ROWS
    if (truncated) rows.length = MAX_EXPORT_ROWS
    await recordAudit(ctx.db, {
      actor: who.name, role: who.role, action: 'records.export', target: filter.region, outcome: 'ok', ip: clientIp(req),
      detail: { filter: describeFilter({ ...filter, page: 1, pageSize: rows.length }), rows: rows.length, truncated },
    })
    const stamp = beijingStamp(new Date())
    const { page: _page, pageSize: _size, region: _region, ...chosen } = filter
    const filters = Object.entries(chosen).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join('，') || '无'
    // the first line says what the file is, for whoever opens it later
    const preamble = `发放明细（已脱敏）；地区：${getRegion(filter.region)?.name ?? filter.region}；筛选：${filters}；导出：${who.name} ${stamp.text}（北京时间）${truncated ? `；仅前 ${MAX_EXPORT_ROWS} 条` : ''}`
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="records-${filter.region}-${stamp.file}.csv"`,
      'cache-control': 'no-store',
      'x-rows-truncated': truncated ? '1' : '0',
    })
    res.end(toCsv(['project_name', ...RECORD_COLUMNS], rows as never, { titles: RECORD_TITLES, preamble }))
  })

  router.on('POST', '/api/reveal', async (req, res, ctx) => {
    const who = await ctx.auth.require(req, REVEAL_ROLES)
    const body = await readJsonBody(req, revealBody).catch(async (error: unknown) => {
      // A refused attempt (no reason, unknown field) is traced too: who tried to see what.
      await recordAudit(ctx.db, {
        actor: who.name, role: who.role, action: 'records.reveal', outcome: 'denied', ip: clientIp(req),
        detail: { problem: error instanceof HttpError ? error.message : 'invalid request' },
      })
      throw error
    })
    const value = await revealField(ctx.db, who, body.detailId, body.field)
    await recordAudit(ctx.db, {
      actor: who.name, role: who.role, action: 'records.reveal', target: body.detailId, outcome: value === null ? 'failed' : 'ok',
      ip: clientIp(req), detail: { field: body.field, reason: body.reason },
    })
    if (value === null) throw new HttpError(404, '没有这条记录，或不在您的权限范围内')
    sendJson(res, 200, { detailId: body.detailId, field: body.field, value })
  })
}
