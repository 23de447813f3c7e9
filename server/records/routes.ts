import { z } from 'zod'
import type { Router } from '../http/router'
import { HttpError, sendJson } from '../http/router'
import { recordAudit } from '../access/auditLog'
import { clientIp } from '../access/cookies'
import { PERSONAL_FIELDS, maskRecord, type PersonalField } from '../access/mask'
import type { Role } from '../access/principal'
import { readJsonBody } from '../access/requestJson'
import { normalizeTyped, reasonProblem } from '../access/visibleText'
import { RECORD_COLUMNS, listRecords, queryRows } from './listRecords'
import { describeFilter, parseRecordFilter, recordWhere } from './recordFilters'
import { revealField } from './revealField'
import { toCsv } from './recordsCsv'

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

  router.on('GET', '/api/records/export.csv', async (req, res, ctx, _params, url) => {
    const who = await ctx.auth.require(req, RECORD_ROLES)
    const filter = parseRecordFilter(url.searchParams, who)
    const where = recordWhere(filter, who)
    const rows = (await queryRows(ctx.db, where.sql, where.params, MAX_EXPORT_ROWS + 1, 0)).map(maskRecord)
    const truncated = rows.length > MAX_EXPORT_ROWS
    if (truncated) rows.length = MAX_EXPORT_ROWS
    await recordAudit(ctx.db, {
      actor: who.name, role: who.role, action: 'records.export', target: filter.region, outcome: 'ok', ip: clientIp(req),
      detail: { filter: describeFilter({ ...filter, page: 1, pageSize: rows.length }), rows: rows.length, truncated },
    })
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="records-${filter.region}.csv"`,
      'cache-control': 'no-store',
      'x-rows-truncated': truncated ? '1' : '0',
    })
    res.end(toCsv(RECORD_COLUMNS, rows))
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
