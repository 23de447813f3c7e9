import fs from 'node:fs'

/**
 * Profiling aid: with `ENGINE_TRACE_FILE` set, every call the embedded engine's lane passes (query,
 * command, insert, raw insert) appends one tab-separated line to that file: start time, priority,
 * wall ms, and the statement's first 160 characters with whitespace folded. chDB runs one statement
 * at a time, so a call's wall time includes waiting behind others: the reader takes each call's
 * own share as the time from the later of its start and the previous call's end to its end. Read it with
 * `scripts/bench/engineTrace.ts <file>`, which sums engine time by statement. Off (no cost) unless set;
 * read once at start because the lane wraps every call.
 */
const traceFile = process.env.ENGINE_TRACE_FILE

/** The statement text of a client call's first argument, or a raw insert's table. */
export function statementOf(args: unknown[]): string {
  const first = args[0] as { query?: unknown; table?: unknown } | undefined
  if (typeof first?.query === 'string') return first.query
  if (typeof first?.table === 'string') return `INSERT INTO ${first.table}`
  return '?'
}

function traceCall(priority: 'high' | 'low', statement: string, startedAt: number, wallMs: number): void {
  if (!traceFile) return
  const folded = statement.replace(/\s+/g, ' ').trim().slice(0, 160)
  fs.appendFileSync(traceFile, `${startedAt.toFixed(1)}\t${priority}\t${wallMs.toFixed(1)}\t${folded}\n`)
}

/** Runs `work` and traces it when tracing is on (off: `work` itself, nothing wrapped). */
export function traced<T>(priority: 'high' | 'low', statement: string, work: () => Promise<T>): Promise<T> {
  return traceFile ? tracedCall(priority, statement, work) : work()
}

async function tracedCall<T>(priority: 'high' | 'low', statement: string, work: () => Promise<T>): Promise<T> {
  const started = performance.timeOrigin + performance.now()
  try {
    return await work()
  } finally {
    traceCall(priority, statement, started, performance.timeOrigin + performance.now() - started)
  }
}
