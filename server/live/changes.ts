import { DATA_KINDS, type DataKind } from '../metrics/define'

/**
 * Which data kinds an ingest feed touches. Feed names come from server/ingest; matching on the
 * name's stem keeps this working for 'payments', 'payment_detail', 'vouchers' and the like.
 * An unknown feed marks everything changed: one spare recomputation beats a stale wall.
 */
const feedStems: Array<[RegExp, DataKind[]]> = [
  [/payment|detail|reissue/i, ['payments']],
  [/indicator|plan|voucher|budget/i, ['budget']],
  [/workflow|approval/i, ['workflow']],
  [/flag|rule/i, ['flags']],
  [/ledger|rectif/i, ['ledger']],
  [/outreach|enrol/i, ['outreach']],
  // Base data the rules read: new flags may follow, but the wall's aggregates do not change.
  [/beneficiar|household|ref_|card|death|official|student|asset|disab/i, []],
]

export function kindsForFeed(feed: string): DataKind[] {
  const match = feedStems.find(([stem]) => stem.test(feed))
  return match ? match[1] : [...DATA_KINDS]
}

/** Monotonic version per data kind: a room is stale when a kind it reads moved past what it saw. */
export class ChangeClock {
  private versions = new Map<DataKind, number>(DATA_KINDS.map((kind) => [kind, 0]))

  mark(kind: DataKind): void {
    this.versions.set(kind, (this.versions.get(kind) ?? 0) + 1)
  }

  /** The versions as one string: equal keys, same data. */
  key(): string {
    return [...this.versions.values()].join(',')
  }

  now(): ReadonlyMap<DataKind, number> {
    return new Map(this.versions)
  }

  changedSince(seen: ReadonlyMap<DataKind, number> | undefined, kinds: Iterable<DataKind>): boolean {
    if (!seen) return true
    for (const kind of kinds) if ((this.versions.get(kind) ?? 0) > (seen.get(kind) ?? 0)) return true
    return false
  }
}
