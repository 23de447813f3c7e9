-- Rollups keyed by the region first, at the grain the wall reads, so a city or county panel reads a
-- few hundred or thousand rows instead of a whole town-level rollup (1.6M rows at 10M payments:
-- ~100 ms a query). Each payment row counts once per level of its region: arrayJoin fans it out to
-- the city (511000, the only city the wall covers), its county, its town and, where the panel goes
-- that deep, its village. Each backfills once from payment_detail (guarded by "still empty").

-- Region × month × status: totals, counts, success rate, status split, monthly and yearly trends,
-- failed payments and freshness (newest_time) of any region, from one query of ≤ 12 × years × 4 rows.
CREATE TABLE IF NOT EXISTS agg_region_month
(
    region_code  LowCardinality(String),
    month        Date,
    status       Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2)),
    newest_time  SimpleAggregateFunction(max, DateTime('Asia/Shanghai'))
)
ENGINE = AggregatingMergeTree
ORDER BY (region_code, month, status);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_region_month TO agg_region_month AS
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, toStartOfMonth(pay_time) AS month, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, max(pay_time) AS newest_time
FROM payment_detail
GROUP BY region_code, month, status;

INSERT INTO agg_region_month
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, toStartOfMonth(pay_time) AS month, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, max(pay_time) AS newest_time
FROM payment_detail
WHERE (SELECT count() FROM agg_region_month) = 0
GROUP BY region_code, month, status;

-- Region (city, county, town) × month × project × dept, paid (成功) only: project and department
-- breakdowns.
CREATE TABLE IF NOT EXISTS agg_region_project_month
(
    region_code  LowCardinality(String),
    month        Date,
    project_code LowCardinality(String),
    dept         LowCardinality(String),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2))
)
ENGINE = AggregatingMergeTree
ORDER BY (region_code, month, project_code, dept);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_region_project_month TO agg_region_project_month AS
SELECT arrayJoin(['511000', county_code, town_code]) AS region_code, toStartOfMonth(pay_time) AS month, project_code, dept,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code, month, project_code, dept;

INSERT INTO agg_region_project_month
SELECT arrayJoin(['511000', county_code, town_code]) AS region_code, toStartOfMonth(pay_time) AS month, project_code, dept,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid
FROM payment_detail
WHERE status = '成功' AND (SELECT count() FROM agg_region_project_month) = 0
GROUP BY region_code, month, project_code, dept;

-- Region (city, county, town) × month × paying bank, paid (成功) only: the banks panel without
-- reading the hourly rollup (one row per payment hour: as large as payment_detail itself).
CREATE TABLE IF NOT EXISTS agg_region_bank_month
(
    region_code  LowCardinality(String),
    month        Date,
    bank         LowCardinality(String),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2))
)
ENGINE = AggregatingMergeTree
ORDER BY (region_code, month, bank);

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_region_bank_month TO agg_region_bank_month AS
SELECT arrayJoin(['511000', county_code, town_code]) AS region_code, toStartOfMonth(pay_time) AS month, bank,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code, month, bank;

INSERT INTO agg_region_bank_month
SELECT arrayJoin(['511000', county_code, town_code]) AS region_code, toStartOfMonth(pay_time) AS month, bank,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid
FROM payment_detail
WHERE status = '成功' AND (SELECT count() FROM agg_region_bank_month) = 0
GROUP BY region_code, month, bank;

-- Distinct beneficiaries (成功) per region and pay year: "惠及群众" merges ≤ one state per year,
-- and the yearly panel's 人数 one state per bar (merging a state per month × town × project row
-- took 1.4 s at 10M payments). A city-wide state holds up to 64k hashes: small granules keep a
-- query from reading (and decoding) the states of thousands of neighbouring regions with it.
CREATE TABLE IF NOT EXISTS agg_region_persons_year
(
    region_code  LowCardinality(String),
    year         UInt16,
    persons      AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (region_code, year)
SETTINGS index_granularity = 32;

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_region_persons_year TO agg_region_persons_year AS
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, toYear(pay_time) AS year, uniqState(id_number) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code, year;

INSERT INTO agg_region_persons_year
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, toYear(pay_time) AS year, uniqState(id_number) AS persons
FROM payment_detail
WHERE status = '成功' AND (SELECT count() FROM agg_region_persons_year) = 0
GROUP BY region_code, year;

-- Distinct beneficiaries (成功) per region over all time: one state per region, so the city's
-- "惠及群众" merges one state, and the city's five counties five (the yearly states above would
-- be 45 of up to 64k hashes each: ~125 ms).
CREATE TABLE IF NOT EXISTS agg_region_persons
(
    region_code  LowCardinality(String),
    persons      AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
ORDER BY region_code
SETTINGS index_granularity = 32;

CREATE MATERIALIZED VIEW IF NOT EXISTS mv_region_persons TO agg_region_persons AS
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, uniqState(id_number) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code;

INSERT INTO agg_region_persons
SELECT arrayJoin(['511000', county_code, town_code, village_code]) AS region_code, uniqState(id_number) AS persons
FROM payment_detail
WHERE status = '成功' AND (SELECT count() FROM agg_region_persons) = 0
GROUP BY region_code;
