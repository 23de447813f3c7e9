/** Ingest: HTTP feeds → validated batches → ClickHouse, each batch stored once and whole. */
export { registerIngestRoutes, type IngestRouteOptions } from './routes'
export { feedByName, FEED_NAMES, type FeedName, type FeedSpec } from './feeds'
export type { PaymentRecord, IndicatorRecord, PlanRecord, VoucherRecord, WorkflowRecord } from './feeds'
export { paymentRecord } from './feeds/payments'
export { indicatorRecord } from './feeds/indicators'
export { planRecord } from './feeds/plans'
export { voucherRecord } from './feeds/vouchers'
export { workflowRecord } from './feeds/workflow'
