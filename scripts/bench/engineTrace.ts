import fs from 'node:fs'

/**
 * Sums an engine trace (server run with `ENGINE_TRACE_FILE=<file>`, see server/db/engineTrace.ts)
 * by statement shape: numbers and quoted strings folded, so one line per kind of query.
 *   npx tsx scripts/bench/engineTrace.ts <file> [from-ms-after-first-line] [top N]
 * Prints each kind's own engine time per minute of the traced span (waiting behind other calls
 * excluded), calls, mean ms, priority, and the statement.
 */
const [file, fromText, topText] = process.argv.slice(2)
if (!file) throw new Error('usage: engineTrace.ts <trace file> [skip ms] [top N]')
const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => line.split('\t'))
const first = Number(lines[0]?.[0] ?? 0)
const from = first + Number(fromText ?? 0)
const kept = lines.filter(([at]) => Number(at) >= from)
const spanMs = Math.max(1, Number(kept.at(-1)?.[0] ?? from) - from)
// chDB runs one statement at a time: in order of ending, each call's own engine time is from the
// later of its start and the previous call's end to its end (waiting behind others excluded).
const ended = kept.map(([at, priority, ms, statement]) => ({ start: Number(at), end: Number(at) + Number(ms), priority, statement }))
ended.sort((a, b) => a.end - b.end)
let previousEnd = 0
const own = ended.map((call) => {
  const ms = call.end - Math.max(call.start, previousEnd)
  previousEnd = Math.max(previousEnd, call.end)
  return [String(call.start), call.priority, String(Math.max(0, ms)), call.statement]
})
const byShape = new Map<string, { ms: number; calls: number; priority: string }>()
let totalMs = 0
for (const [, priority, ms, statement] of own) {
  const shape = statement.replace(/'(?:[^'\\]|\\.)*'/g, "'…'").replace(/\b\d+(\.\d+)?\b/g, 'N')
  const entry = byShape.get(shape) ?? { ms: 0, calls: 0, priority }
  entry.ms += Number(ms)
  entry.calls += 1
  byShape.set(shape, entry)
  totalMs += Number(ms)
}
const perMinute = (ms: number) => ((ms * 60_000) / spanMs / 1000).toFixed(2)
console.log(`span ${(spanMs / 1000).toFixed(0)} s, ${kept.length} calls, engine ${perMinute(totalMs)} s per minute`)
const top = [...byShape.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(topText ?? 40))
for (const [shape, { ms, calls, priority }] of top)
  console.log(`${perMinute(ms).padStart(7)} s/min ${String(calls).padStart(5)}× ${(ms / calls).toFixed(1).padStart(7)} ms ${priority.padEnd(4)} ${shape}`)
