-- The budget chain: 指标 (allocated, then issued) → 用款计划 → 支付凭证 → 支付明细.
-- Rows can be re-sent with new states (an indicator gets its issue date, a voucher clears);
-- ReplacingMergeTree keeps the newest version, and queries read it with FINAL (small tables).
CREATE TABLE IF NOT EXISTS budget_indicator
(
    indicator_id   String,
    doc_no         String,
    fiscal_year    UInt16,
    county_code    LowCardinality(String) COMMENT 'mof_div_code of the receiving region',
    dept           LowCardinality(String),
    project_code   LowCardinality(String),
    fund_level     Enum8('中央' = 1, '省' = 2, '市' = 3, '县' = 4),
    amount         Decimal(16, 2),
    allocated_date Date,
    issued_date    Nullable(Date),
    batch_id       String,
    ingested_at    DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY indicator_id;

CREATE TABLE IF NOT EXISTS spending_plan
(
    plan_id      String,
    indicator_id String,
    month        UInt32 COMMENT 'YYYYMM',
    county_code  LowCardinality(String),
    dept         LowCardinality(String),
    project_code LowCardinality(String),
    amount       Decimal(16, 2),
    approved_date Date,
    batch_id     String,
    ingested_at  DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY plan_id;

CREATE TABLE IF NOT EXISTS payment_voucher
(
    voucher_id      String,
    plan_id         String,
    county_code     LowCardinality(String),
    dept            LowCardinality(String),
    project_code    LowCardinality(String),
    amount          Decimal(16, 2),
    bank            LowCardinality(String),
    transit_account String,
    pay_date        Date,
    clearing_status Enum8('已清算' = 1, '未清算' = 2, '退回' = 3),
    batch_id        String,
    ingested_at     DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY voucher_id;

-- 户报 → 村评 → 镇审 → 县定 → 市管: one row per node reached by one application.
CREATE TABLE IF NOT EXISTS workflow_event
(
    application_id String,
    node           Enum8('户报' = 1, '村评' = 2, '镇审' = 3, '县定' = 4, '市管' = 5),
    at             DateTime('Asia/Shanghai'),
    project_code   LowCardinality(String),
    county_code    LowCardinality(String),
    town_code      LowCardinality(String),
    village_code   String,
    id_number      String,
    actor          String,
    batch_id       String,
    ingested_at    DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY (application_id, node);
