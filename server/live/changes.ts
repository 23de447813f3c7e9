import { DATA_KINDS, type DataKind } from '../metrics/define'
import { feedByName } from '../ingest/feeds'

/**
 * The data kinds a stored batch of `feed` changes, as its FeedSpec declares them. An unknown feed
 * marks everything changed: one spare recomputation beats a stale wall.
 */
export function kindsForFeed(feed: string): DataKind[] {
  return [...(feedByName(feed)?.changes ?? DATA_KINDS)]
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
