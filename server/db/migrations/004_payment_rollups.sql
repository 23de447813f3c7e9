-- Rollups the wall reads instead of raw payment rows. Each is fed by a materialized view on
-- insert into payment_detail, so a batch is reflected the moment its INSERT returns.
-- Not partitioned, for the same reason as payment_detail: one ingest block, one part, atomic.
-- persons is a uniq state so distinct beneficiaries can be merged across any grouping.

-- Month × town × project × status × fund level: totals, trends, department and project breakdowns.
CREATE TABLE IF NOT EXISTS agg_payment_month
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
    persons      AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (month, county_code, town_code, project_code, dept, fund_level, status);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_payment_month TO agg_payment_month AS
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, project_code, dept, fund_level, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, sum(toDecimal128(amount_due, 2)) AS amount_due,
       max(pay_time) AS newest_time, uniqState(id_number) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, project_code, dept, fund_level, status;

-- Month × village: the village level of the drill path.
CREATE TABLE IF NOT EXISTS agg_village_month
(
    month        Date,
    county_code  LowCardinality(String),
    town_code    LowCardinality(String),
    village_code String,
    status       Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2)),
    persons      AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (county_code, town_code, village_code, month, status);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_village_month TO agg_village_month AS
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code, village_code, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqState(id_number) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, village_code, status;

-- Month × county × project × 10-year age band × gender: the population pyramid.
CREATE TABLE IF NOT EXISTS agg_age_month
(
    month        Date,
    county_code  LowCardinality(String),
    project_code LowCardinality(String),
    age_band     UInt8 COMMENT 'lower bound of the 10-year band, 90 = 90 and over',
    gender       Enum8('男' = 1, '女' = 2),
    status       Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2)),
    persons      AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (month, county_code, project_code, age_band, gender, status);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_age_month TO agg_age_month AS
SELECT toStartOfMonth(pay_time) AS month, county_code, project_code,
       toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqState(id_number) AS persons
FROM payment_detail
GROUP BY month, county_code, project_code, age_band, gender, status;

-- Hour × town × project × bank × status: today's live payments, day and hour profiles, banks.
CREATE TABLE IF NOT EXISTS agg_payment_hour
(
    hour         DateTime('Asia/Shanghai'),
    county_code  LowCardinality(String),
    town_code    LowCardinality(String),
    project_code LowCardinality(String),
    bank         LowCardinality(String),
    status       Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2))
)
ENGINE = AggregatingMergeTree
ORDER BY (hour, county_code, town_code, project_code, bank, status);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_payment_hour TO agg_payment_hour AS
SELECT toStartOfHour(pay_time) AS hour, county_code, town_code, project_code, bank, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid
FROM payment_detail
GROUP BY hour, county_code, town_code, project_code, bank, status;
