-- Bulk loads of bank files (server/bulk, `npm run load`). One row per file that was loaded to the
-- end: a second load of the same bytes (content_hash) is answered from here and stores nothing.
-- Rows of a payroll file carry batch_id = 'file:' + the first 32 hex digits of content_hash, so a
-- load that stopped between moving the facts and writing this row is recognised on the next try.
CREATE TABLE IF NOT EXISTS bulk_file
(
    content_hash  FixedString(64),
    file_name     String,
    bank          LowCardinality(String),
    kind          Enum8('payroll' = 1, 'return' = 2),
    batch_id      String,
    rows_in_file  UInt64,
    rows_loaded   UInt64,
    rows_refused  UInt64,
    amount        Decimal(18, 2) COMMENT 'payroll: amount_paid of the rows loaded; return: of the payments whose status changed',
    loaded_at     DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY content_hash;

-- 回盘 results applied to payments: which file moved which payment from which status to which,
-- and why (failure reason). payment_detail holds the current status; this is the trace behind it
-- (日销号: each day's failures listed; 周反馈: the week's returns fed back). Keyed by file and
-- payment, so a load re-run after a crash writes the same rows again instead of new ones.
CREATE TABLE IF NOT EXISTS payment_return
(
    content_hash   FixedString(64),
    detail_id      String,
    line           UInt64,
    county_code    LowCardinality(String),
    town_code      LowCardinality(String),
    from_status    Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    to_status      Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    failure_reason String,
    amount_paid    Decimal(14, 2),
    pay_time       DateTime('Asia/Shanghai'),
    returned_at    DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(returned_at)
ORDER BY (content_hash, detail_id);
