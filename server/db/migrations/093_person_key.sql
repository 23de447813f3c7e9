-- 人 (distinct people) is read from uniqExact sets kept in six rollups. Over a String, uniqExact
-- keeps a 128-bit hash of each id_number; a read turns every stored set back into a hash table,
-- so a warm pass's people reads cost in proportion to people × region levels (at 10M payments the
-- pyramid's sets hold 2.4M entries; at 40M payments, on a quiet machine, the people reads were
-- 0.49 s of a pass's 0.86 s of queries). Here the sets hold person_key, a 64-bit hash of
-- id_number: half the bytes per entry. At 40M payments the pass went from 1,069 to 767 ms
-- (scripts/bench/passProfile.ts, the pyramid 298 → 208 ms, the all-time sets 193 → 129 ms).
-- Measured on the 10M bench data (/tmp/lc-10m), one process, 15 runs alternating: the pyramid of
-- every region (uniqExactMerge over agg_region_age_persons) took a median of 261 ms (164–853)
-- over the 128-bit sets and 147 ms (109–368) over 64-bit ones, with the same count (2,386,753);
-- the merged rollup shrank from 34.6 to 17.3 MiB. Building the states of 200k payments (what an
-- insert's view does) took 96 against 76 ms.
--
-- Exactness: two different people share a 64-bit key with a probability of about n²/2^65, for
-- n = 1.7 million people about 1 in 13 million over the whole catalogue of people (the 128-bit
-- hashes before were 1 in 10^26). A key, not the number itself, so no rollup holds an identity
-- number in a reversible form.
--
-- person_key is an ALIAS column: computed where it is read (the views see it on every insert),
-- never stored, one definition for every view. Each rollup is dropped and rebuilt from the facts
-- with its view's own SELECT, as 030 did; a start that dies half-way applies the whole migration
-- again (it is not recorded until every statement ran), with the same result.
ALTER TABLE payment_detail ADD COLUMN IF NOT EXISTS person_key UInt64 ALIAS sipHash64(id_number) COMMENT 'the person in the rollups'' people sets (migration 093)';

-- Month × town × project × status × fund level.
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
    persons      AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (month, county_code, town_code, project_code, dept, fund_level, status)
SETTINGS min_age_to_force_merge_seconds = 600;

CREATE MATERIALIZED VIEW mv_payment_month TO agg_payment_month AS
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, project_code, dept, fund_level, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, sum(toDecimal128(amount_due, 2)) AS amount_due,
       max(pay_time) AS newest_time, uniqExactState(person_key) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, project_code, dept, fund_level, status;

INSERT INTO agg_payment_month
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, project_code, dept, fund_level, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, sum(toDecimal128(amount_due, 2)) AS amount_due,
       max(pay_time) AS newest_time, uniqExactState(person_key) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, project_code, dept, fund_level, status;

-- Month × village.
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
    persons      AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (county_code, town_code, village_code, month, status)
SETTINGS min_age_to_force_merge_seconds = 600;

CREATE MATERIALIZED VIEW mv_village_month TO agg_village_month AS
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, village_code, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqExactState(person_key) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, village_code, status;

INSERT INTO agg_village_month
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, village_code, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqExactState(person_key) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, village_code, status;

-- Month × town × age band × gender × status.
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
    persons      AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (county_code, town_code, month, age_band, gender, status)
SETTINGS min_age_to_force_merge_seconds = 600;

CREATE MATERIALIZED VIEW mv_age_town_month TO agg_age_town_month AS
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqExactState(person_key) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, age_band, gender, status;

INSERT INTO agg_age_town_month
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqExactState(person_key) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, age_band, gender, status;

-- Region (city, county, town, village) × year, people paid (成功).
DROP VIEW IF EXISTS mv_region_persons_year;
DROP TABLE IF EXISTS agg_region_persons_year;
CREATE TABLE agg_region_persons_year
(
    region_code LowCardinality(String),
    year        UInt16,
    persons     AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (region_code, year)
SETTINGS index_granularity = 32, min_age_to_force_merge_seconds = 600;

CREATE MATERIALIZED VIEW mv_region_persons_year TO agg_region_persons_year AS
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, toYear(pay_time) AS year, uniqExactState(person_key) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code, year;

INSERT INTO agg_region_persons_year
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, toYear(pay_time) AS year, uniqExactState(person_key) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code, year;

-- Region (city, county, town, village), people paid (成功), all time.
DROP VIEW IF EXISTS mv_region_persons;
DROP TABLE IF EXISTS agg_region_persons;
CREATE TABLE agg_region_persons
(
    region_code LowCardinality(String),
    persons     AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY region_code
SETTINGS index_granularity = 32, min_age_to_force_merge_seconds = 600;

CREATE MATERIALIZED VIEW mv_region_persons TO agg_region_persons AS
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, uniqExactState(person_key) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code;

INSERT INTO agg_region_persons
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, uniqExactState(person_key) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code;

-- Region (city, county, town) × age band × gender, people paid (成功), all time: the pyramid.
DROP VIEW IF EXISTS mv_region_age_persons;
DROP TABLE IF EXISTS agg_region_age_persons;
CREATE TABLE agg_region_age_persons
(
    region_code  LowCardinality(String),
    age_band     UInt8 COMMENT 'lower bound of the 10-year band, 90 = 90 and over',
    gender       Enum8('男' = 1, '女' = 2),
    persons      AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (region_code, age_band, gender)
SETTINGS index_granularity = 32, min_age_to_force_merge_seconds = 600;

CREATE MATERIALIZED VIEW mv_region_age_persons TO agg_region_age_persons AS
SELECT arrayJoin(['511000', county_code, town_code]) AS region_code,
       toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, uniqExactState(person_key) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code, age_band, gender;

INSERT INTO agg_region_age_persons
SELECT arrayJoin(['511000', county_code, town_code]) AS region_code,
       toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, uniqExactState(person_key) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code, age_band, gender;

-- A rebuilt rollup starts as one part (each backfill writes one per thread; see 091).
OPTIMIZE TABLE agg_payment_month FINAL;
OPTIMIZE TABLE agg_village_month FINAL;
OPTIMIZE TABLE agg_age_town_month FINAL;
OPTIMIZE TABLE agg_region_persons_year FINAL;
OPTIMIZE TABLE agg_region_persons FINAL;
OPTIMIZE TABLE agg_region_age_persons FINAL;
