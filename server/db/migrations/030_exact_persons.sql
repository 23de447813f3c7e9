-- 人 means distinct people (DOMAIN.md). The rollups of 004–007 held `uniq` states, an estimate:
-- the city showed more people than its five counties together, which a distinct count never can.
-- Here every persons state becomes `uniqExact` (a set of 128-bit hashes of id_number), and each
-- rollup is rebuilt from payment_detail, so an existing data directory is upgraded in place.
-- Views are dropped before their tables and re-created before the backfill; migrations run before
-- any ingest starts, so no insert can fall between them. Re-running after a crash drops and
-- rebuilds again (from the facts), so the migration is idempotent.
--
-- Cost: a uniqExact state keeps every id (16 bytes each, ~4 for uniq), so persons states take about
-- four times the space. agg_age_month and agg_persons_village, read by no panel, are dropped
-- rather than rebuilt; the all-time and yearly region states grow with people, not payments
-- (1.7M people × 4 levels × 16 bytes ≈ 110 MB all-time at full scale, before compression).

DROP VIEW IF EXISTS mv_age_month;
DROP TABLE IF EXISTS agg_age_month;
DROP VIEW IF EXISTS mv_persons_village;
DROP TABLE IF EXISTS agg_persons_village;

-- Month × town × project × status × fund level (was 004).
DROP VIEW IF EXISTS mv_payment_month;
DROP TABLE IF EXISTS agg_payment_month;
CREATE TABLE agg_payment_month
(
    month        Date,
    county_code  LowCardinality(String),
    town_code    LowCardinality(String),
    project_code LowCardinality(String),
    dept         LowCardinality(String),
    fund_level   Enum8('中央' = 1, '省' = 2, '市' = 3, '县' = 4),
    status       Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2)),
    amount_due   SimpleAggregateFunction(sum, Decimal(38, 2)),
    newest_time  SimpleAggregateFunction(max, DateTime('Asia/Shanghai')),
    persons      AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (month, county_code, town_code, project_code, dept, fund_level, status);

CREATE MATERIALIZED VIEW mv_payment_month TO agg_payment_month AS
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, project_code, dept, fund_level, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, sum(toDecimal128(amount_due, 2)) AS amount_due,
       max(pay_time) AS newest_time, uniqExactState(id_number) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, project_code, dept, fund_level, status;

INSERT INTO agg_payment_month
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, project_code, dept, fund_level, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, sum(toDecimal128(amount_due, 2)) AS amount_due,
       max(pay_time) AS newest_time, uniqExactState(id_number) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, project_code, dept, fund_level, status;

-- Month × village (was 004).
DROP VIEW IF EXISTS mv_village_month;
DROP TABLE IF EXISTS agg_village_month;
CREATE TABLE agg_village_month
(
    month        Date,
    county_code  LowCardinality(String),
    town_code    LowCardinality(String),
    village_code String,
    status       Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2)),
    persons      AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (county_code, town_code, village_code, month, status);

CREATE MATERIALIZED VIEW mv_village_month TO agg_village_month AS
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, village_code, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqExactState(id_number) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, village_code, status;

INSERT INTO agg_village_month
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, village_code, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqExactState(id_number) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, village_code, status;

-- Month × town × age band × gender: the population pyramid (was 005).
DROP VIEW IF EXISTS mv_age_town_month;
DROP TABLE IF EXISTS agg_age_town_month;
CREATE TABLE agg_age_town_month
(
    month        Date,
    county_code  LowCardinality(String),
    town_code    LowCardinality(String),
    age_band     UInt8 COMMENT 'lower bound of the 10-year band, 90 = 90 and over',
    gender       Enum8('男' = 1, '女' = 2),
    status       Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2)),
    persons      AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (county_code, town_code, month, age_band, gender, status);

CREATE MATERIALIZED VIEW mv_age_town_month TO agg_age_town_month AS
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code,
       toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqExactState(id_number) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, age_band, gender, status;

INSERT INTO agg_age_town_month
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code,
       toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqExactState(id_number) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, age_band, gender, status;

-- Region × pay year, paid (成功) only (was 007).
DROP VIEW IF EXISTS mv_region_persons_year;
DROP TABLE IF EXISTS agg_region_persons_year;
CREATE TABLE agg_region_persons_year
(
    region_code  LowCardinality(String),
    year         UInt16,
    persons      AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (region_code, year)
SETTINGS index_granularity = 32;

CREATE MATERIALIZED VIEW mv_region_persons_year TO agg_region_persons_year AS
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, toYear(pay_time) AS year, uniqExactState(id_number) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code, year;

INSERT INTO agg_region_persons_year
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, toYear(pay_time) AS year, uniqExactState(id_number) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code, year;

-- Region, all time, paid (成功) only (was 007).
DROP VIEW IF EXISTS mv_region_persons;
DROP TABLE IF EXISTS agg_region_persons;
CREATE TABLE agg_region_persons
(
    region_code  LowCardinality(String),
    persons      AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
ORDER BY region_code
SETTINGS index_granularity = 32;

CREATE MATERIALIZED VIEW mv_region_persons TO agg_region_persons AS
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, uniqExactState(id_number) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code;

INSERT INTO agg_region_persons
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, uniqExactState(id_number) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code;
