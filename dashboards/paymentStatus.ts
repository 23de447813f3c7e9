/**
 * The statuses of a payment (支付明细.status), in the order the wall lists them. The ingest schema
 * accepts exactly these (server/ingest/feeds/payments.ts); the rollups, the records filter and the
 * records page read the same list. Here, beside the dashboards, because pages and server share it.
 */
export const PAYMENT_STATUSES = ['成功', '失败', '退回', '在途'] as const
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]
