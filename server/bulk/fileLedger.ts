import type { Db } from '../db/client'
import type { FileKind } from './bankConfig'

/** bulk_file: one row per file loaded to the end (migration 080). */
export interface FileLedgerEntry {
  contentHash: string
  fileName: string
  bank: string
  kind: FileKind
  batchId: string
  rowsInFile: number
  rowsLoaded: number
  rowsRefused: number
  /** 'N.NN' */
  amount: string
}

export async function findLoadedFile(db: Db, contentHash: string): Promise<(FileLedgerEntry & { loadedAt: string }) | null> {
  const result = await db.client.query({
    query: `SELECT content_hash, file_name, bank, kind, batch_id, rows_in_file, rows_loaded, rows_refused, toString(amount) AS amount, toString(loaded_at) AS loaded_at
            FROM bulk_file FINAL WHERE content_hash = {contentHash:String} LIMIT 1`,
    query_params: { contentHash },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<Record<string, string | number>>()
  if (!row) return null
  return {
    contentHash: String(row.content_hash),
    fileName: String(row.file_name),
    bank: String(row.bank),
    kind: row.kind as FileKind,
    batchId: String(row.batch_id),
    rowsInFile: Number(row.rows_in_file),
    rowsLoaded: Number(row.rows_loaded),
    rowsRefused: Number(row.rows_refused),
    amount: String(row.amount),
    loadedAt: String(row.loaded_at),
  }
}

export async function recordLoadedFile(db: Db, entry: FileLedgerEntry): Promise<void> {
  await db.client.insert({
    table: 'bulk_file',
    format: 'JSONEachRow',
    values: [{
      content_hash: entry.contentHash,
      file_name: entry.fileName,
      bank: entry.bank,
      kind: entry.kind,
      batch_id: entry.batchId,
      rows_in_file: entry.rowsInFile,
      rows_loaded: entry.rowsLoaded,
      rows_refused: entry.rowsRefused,
      amount: entry.amount,
    }],
  })
}
