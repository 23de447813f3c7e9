/**
 * The kinds of data the wall reads. A metric declares the kinds it reads (MetricDefinition.reads),
 * an ingest feed the kinds it changes (FeedSpec.changes); the live core recomputes a room only when
 * a kind it reads has changed. A leaf, so ingest and metrics share it without importing each other.
 */
export type DataKind = 'payments' | 'budget' | 'flags' | 'ledger' | 'outreach' | 'workflow'

export const DATA_KINDS: readonly DataKind[] = ['payments', 'budget', 'flags', 'ledger', 'outreach', 'workflow']
