/**
 * Percentiles the bench prints. A percentile from fewer than MIN_SAMPLES samples is not printed
 * (with 8 samples, "p95" is just the maximum): the summary says how many samples there were.
 */
export const MIN_SAMPLES = 100

export interface Summary {
  n: number
  p50: number | null
  p95: number | null
  p99: number | null
  max: number | null
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (p: number) => (sorted.length >= MIN_SAMPLES ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null)
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.length ? sorted[sorted.length - 1] : null }
}

export const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits

/** "p50 / p95 / p99 ms (n)" or, below MIN_SAMPLES, the count and the maximum only. */
export function formatMs(summary: Summary): string {
  if (summary.n === 0) return 'no samples'
  if (summary.p50 === null) return `n=${summary.n} < ${MIN_SAMPLES}: no percentiles (max ${round(summary.max!)} ms)`
  return `${round(summary.p50)} / ${round(summary.p95!)} / ${round(summary.p99!)} ms (n=${summary.n})`
}
