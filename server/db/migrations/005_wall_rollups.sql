-- Rollups the wall needs beyond 004, so no wall panel scans payment_detail.
-- Each backfills once from payment_detail (guarded by "still empty", so a re-run adds nothing).

-- Month × town × 10-year age band × gender: the population pyramid down to town level
-- (agg_age_month stops at county).
CREATE TABLE IF NOT EXISTS agg_age_town_month
(
    month        Date,
    county_code  LowCardinality(String),
    town_code    LowCardinality(String),
    age_band     UInt8 COMMENT 'lower bound of the 10-year band, 90 = 90 and over',
    gender       Enum8('男' = 1, '女' = 2),
    status       Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2)),
    persons      AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (county_code, town_code, month, age_band, gender, status);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_age_town_month TO agg_age_town_month AS
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code,
       toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqState(id_number) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, age_band, gender, status;

INSERT INTO agg_age_town_month
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code,
       toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqState(id_number) AS persons
FROM payment_detail
WHERE (SELECT count() FROM agg_age_town_month) = 0
GROUP BY month, county_code, town_code, age_band, gender, status;

-- Per voucher: what reached personal cards (成功), for idle funds (R16: voucher paid to the
-- bank, money not on cards).
CREATE TABLE IF NOT EXISTS agg_voucher_paid
(
    voucher_id   String,
    county_code  LowCardinality(String),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2))
)
ENGINE = AggregatingMergeTree
ORDER BY (voucher_id, county_code);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_voucher_paid TO agg_voucher_paid AS
SELECT voucher_id, county_code, count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid
FROM payment_detail
WHERE status = '成功' AND voucher_id != ''
GROUP BY voucher_id, county_code;

INSERT INTO agg_voucher_paid
SELECT voucher_id, county_code, count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid
FROM payment_detail
WHERE status = '成功' AND voucher_id != '' AND (SELECT count() FROM agg_voucher_paid) = 0
GROUP BY voucher_id, county_code;

-- Re-issues of failed payments, by the re-issue's own status: a failure counts as handled once
-- some re-issue of it exists that was not returned (退回). Open failures = failed − handled.
CREATE TABLE IF NOT EXISTS agg_reissue_month
(
    month        Date,
    county_code  LowCardinality(String),
    town_code    LowCardinality(String),
    status       Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    reissues     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2))
)
ENGINE = AggregatingMergeTree
ORDER BY (county_code, town_code, month, status);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_reissue_month TO agg_reissue_month AS
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, status,
       count() AS reissues, sum(toDecimal128(amount_paid, 2)) AS amount_paid
FROM payment_detail
WHERE reissue_of != ''
GROUP BY month, county_code, town_code, status;

INSERT INTO agg_reissue_month
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, status,
       count() AS reissues, sum(toDecimal128(amount_paid, 2)) AS amount_paid
FROM payment_detail
WHERE reissue_of != '' AND (SELECT count() FROM agg_reissue_month) = 0
GROUP BY month, county_code, town_code, status;
