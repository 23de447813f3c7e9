-- 支付明细: one row per payment of one subsidy to one person (or household head) for one period.
-- Ordered for the drill path (county → town → project → period) and for per-person rules, which
-- read it through id_number projections below. Not partitioned: an ingest batch must land as one
-- block in one partition so that its INSERT is atomic (a block split across partitions is not).
CREATE TABLE IF NOT EXISTS payment_detail
(
    detail_id        String,
    batch_id         String,
    period           UInt32 COMMENT 'YYYYMM the payment is for',
    project_code     LowCardinality(String),
    dept             LowCardinality(String),
    paying_unit      LowCardinality(String),
    county_code      LowCardinality(String),
    town_code        LowCardinality(String),
    village_code     String,
    household_id     String,
    person_name      String,
    id_number        String,
    gender           Enum8('男' = 1, '女' = 2),
    birth_date       Date32,
    card_number      String,
    account_holder   String,
    holder_id_number String COMMENT 'holder identity as returned by the paying bank',
    bank             LowCardinality(String),
    phone            String,
    base_quantity    Decimal(12, 2) COMMENT '亩, persons or months the standard applies to',
    standard         Decimal(12, 2),
    amount_due       Decimal(14, 2),
    amount_paid      Decimal(14, 2),
    pay_time         DateTime('Asia/Shanghai'),
    status           Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    failure_reason   String,
    reissue_of       String COMMENT 'detail_id of the failed payment this one re-issues',
    plan_id          String,
    voucher_id       String,
    indicator_doc    String,
    fund_level       Enum8('中央' = 1, '省' = 2, '市' = 3, '县' = 4),
    proxy_held       UInt8,
    proxy_holder_id  String,
    proxy_holder_name String,
    applied_at       Nullable(DateTime('Asia/Shanghai')) COMMENT '户报',
    village_reviewed_at Nullable(DateTime('Asia/Shanghai')) COMMENT '村评',
    town_reviewed_at Nullable(DateTime('Asia/Shanghai')) COMMENT '镇审',
    county_decided_at Nullable(DateTime('Asia/Shanghai')) COMMENT '县定',
    city_managed_at  Nullable(DateTime('Asia/Shanghai')) COMMENT '市管',
    publicity_start  Nullable(Date),
    publicity_end    Nullable(Date),
    prereview_hits   Array(LowCardinality(String)),
    ingested_at      DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3),
    age_years        UInt8 MATERIALIZED toUInt8(least(greatest(dateDiff('year', birth_date, toDate(pay_time)), 0), 150)),
    INDEX idx_id id_number TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_card card_number TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_batch batch_id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_detail detail_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = MergeTree
ORDER BY (county_code, town_code, project_code, period, id_number);

-- Ledger of accepted ingest batches, per feed. A batch is stored once: a retry of the same
-- batch_id is answered from here (same content_hash: duplicate; other hash: conflict).
CREATE TABLE IF NOT EXISTS ingest_batch
(
    feed         LowCardinality(String),
    batch_id     String,
    content_hash FixedString(64),
    row_count    UInt32,
    amount       Decimal(18, 2),
    newest_time  DateTime('Asia/Shanghai'),
    received_at  DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(received_at)
ORDER BY (feed, batch_id);
