/** A file the loader refuses as a whole (unreadable, inconsistent with what is stored): exit 2 / HTTP 400. */
export class LoadError extends Error {}

/** Whole cents → 'N.NN' (kept here rather than imported: the HTTP ingest path is being rewritten). */
export function yuanText(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`
}
