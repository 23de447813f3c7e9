import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import type { AppContext } from '../context'
import { HttpError, sendJson, type Router } from '../http/router'
import { requireIngestToken } from '../ingest/bearer'
import { ingestGate } from '../ingest/ingestGate'
import { refuseWhileStopping } from '../ingest/routes'
import { BankConfigError } from './bankConfig'
import { FileSourceError } from './fileSource'
import { LoadError, loadFile } from './loadFile'
import { FileLayoutError } from './stageSql'
import { XlsxError } from './xlsx'

/**
 * Tells the live hub (and anyone else listening) that payments changed. Without records the hub
 * re-reads the payment rollups instead of adding rows to its warm figures: a file is too large to
 * hand over row by row, and a return file moves payments between statuses.
 */
function announce(ctx: AppContext, batchId: string, rows: number): void {
  for (const listener of ctx.onIngest) {
    try {
      listener({ feed: 'payments', batchId, rows, acknowledgedAt: Date.now() })
    } catch (error) {
      ctx.log.error(`listener failed on bulk load: ${error instanceof Error ? error.message.split('\n')[0] : error}`)
    }
  }
}

/** Largest file accepted over HTTP (a province's payroll day as CSV is well under this). */
const MAX_FILE_BYTES = 4 * 1024 ** 3

/**
 * POST /api/bulk/file?bank=<name>&kind=payroll|return[&acceptValid=1] with the INGEST_TOKEN:
 * `npm run load` when a server owns the data directory (chDB: one process per directory) sends
 * the file here instead of opening the database. The body (the file's bytes) is streamed to a
 * temporary file and loaded by the same loader, under the server's ingest gate.
 * 200: loaded or duplicate; 400: refused rows (nothing stored) or an unreadable file; 503: stopping.
 */
export function registerBulkRoutes(router: Router): void {
  router.on('POST', '/api/bulk/file', async (req, res, ctx, _params, url) => {
    refuseWhileStopping(res, 'file')
    requireIngestToken(req, ctx.config.INGEST_TOKEN)
    const bank = url.searchParams.get('bank') ?? ''
    const kind = url.searchParams.get('kind') ?? 'payroll'
    if (kind !== 'payroll' && kind !== 'return') throw new HttpError(400, 'kind must be payroll or return')
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > MAX_FILE_BYTES) {
      res.setHeader('connection', 'close')
      throw new HttpError(413, `files over ${MAX_FILE_BYTES / 1024 ** 3} GB are not accepted`)
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ykt-bulk-upload-'))
    const name = path.basename(url.searchParams.get('name') ?? 'upload').replace(/[^\w.-]/g, '_') || 'upload'
    const file = path.join(dir, name)
    try {
      await ingestGate.request(async () => {
        let received = 0
        const cap = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            received += chunk.length
            done(received > MAX_FILE_BYTES ? new HttpError(413, 'file too large') : null, chunk)
          },
        })
        await pipeline(req, cap, fs.createWriteStream(file))
        try {
          const result = await loadFile(ctx.db, { file, bank, kind, gate: ingestGate, acceptValid: url.searchParams.get('acceptValid') === '1', reportPath: path.join(dir, 'refused.csv') })
          const { reportPath: _serverPath, file: _tmp, ...answer } = result
          sendJson(res, result.status === 'refused' ? 400 : 200, { ...answer, file: name })
          if (result.status === 'loaded') announce(ctx, result.batchId, kind === 'payroll' ? result.rowsLoaded : 0)
        } catch (error) {
          if (error instanceof BankConfigError || error instanceof FileLayoutError || error instanceof FileSourceError || error instanceof XlsxError || error instanceof LoadError) {
            throw new HttpError(400, error.message)
          }
          throw error
        }
      })
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
}
