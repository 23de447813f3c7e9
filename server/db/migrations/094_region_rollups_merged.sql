-- The six region-keyed rollups become two, each fed by one materialized view: a payment batch
-- plans 8 view queries instead of 12.
--
-- Why: a small insert costs per view, not per row. Each view plans its SELECT (4–7 ms) and writes
-- its own part, which the background merges then fold again. Measured on a copy of a demo data
-- directory (2.87M payments), a 10-row insert into payment_detail, medians of 15, two rounds each,
-- one process (scratch script): 85–89 ms of CPU with the 12 views, 61–69 ms with these two,
-- partitioned as below, in place of six.
--
-- agg_region_payments: region × pay month at three grains, told apart by `grain`:
--   'status'  every payment, by status (4 region levels: city, county, town, village);
--   'project' paid (成功) only, by project and department (city, county, town);
--   'bank'    paid only, by paying bank (city, county, town).
-- agg_region_people: people paid (成功) per region, as uniqExact sets of person_key (093):
--   'all'     over all time (4 levels);
--   'year'    per pay year (4 levels);
--   'age'     per 10-year age band and gender (city, county, town).
-- Columns a grain does not use hold '' (strings, gender), 0 (year) or 255 (age band).
--
-- The old names stay as plain views of one grain each (agg_region_month and the rest), so every
-- reader and test reads what it read before. Each grain is a partition of its own: a granule of
-- one grain never holds rows of another. Unpartitioned, the granule at the end of the all-time
-- people sets also held the first yearly sets (the city's, the largest), and the all-time read of
-- 1,379 regions took 116–160 ms against 42–87 ms before (10M payments). A small insert then writes
-- up to three parts per table (as many as the six tables did), but plans two views instead of six.
--
-- Each view's SELECT is written twice, in the view and in its backfill (ClickHouse has no POPULATE
-- for a view with TO). Within the SELECT, the inner query's aliases are not column names: ClickHouse
-- prefers an alias to a column, and a lambda reading `gender` would read the alias instead.

DROP VIEW IF EXISTS mv_region_payments;
DROP TABLE IF EXISTS agg_region_payments;
CREATE TABLE agg_region_payments
(
    grain        Enum8('status' = 1, 'project' = 2, 'bank' = 3),
    region_code  LowCardinality(String),
    month        Date,
    status       Enum8('成功' = 1, '失败' = 2, '退回' = 3, '在途' = 4),
    project_code LowCardinality(String),
    dept         LowCardinality(String),
    bank         LowCardinality(String),
    payments     SimpleAggregateFunction(sum, UInt64),
    amount_paid  SimpleAggregateFunction(sum, Decimal(38, 2)),
    newest_time  SimpleAggregateFunction(max, DateTime('Asia/Shanghai'))
)
ENGINE = AggregatingMergeTree
PARTITION BY grain
ORDER BY (grain, region_code, month, status, project_code, dept, bank)
SETTINGS min_age_to_force_merge_seconds = 600;

CREATE MATERIALIZED VIEW mv_region_payments TO agg_region_payments AS
SELECT grain, region_code, month, status, project_code, dept, bank,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, max(pay_time) AS newest_time
FROM
(
    SELECT arrayJoin(arrayConcat(
               arrayMap(r -> ('status', r, toString(status), '', '', ''), ['511000', county_code, town_code, village_code]),
               if(status = '成功',
                  arrayConcat(arrayMap(r -> ('project', r, '成功', toString(project_code), toString(dept), ''), ['511000', county_code, town_code]),
                              arrayMap(r -> ('bank', r, '成功', '', '', toString(bank)), ['511000', county_code, town_code])),
                  []))) AS cell,
           toStartOfMonth(pay_time) AS pay_month, amount_paid, pay_time
    FROM payment_detail
)
GROUP BY tupleElement(cell, 1) AS grain, tupleElement(cell, 2) AS region_code, pay_month AS month, tupleElement(cell, 3) AS status,
         tupleElement(cell, 4) AS project_code, tupleElement(cell, 5) AS dept, tupleElement(cell, 6) AS bank;

INSERT INTO agg_region_payments
SELECT grain, region_code, month, status, project_code, dept, bank,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, max(pay_time) AS newest_time
FROM
(
    SELECT arrayJoin(arrayConcat(
               arrayMap(r -> ('status', r, toString(status), '', '', ''), ['511000', county_code, town_code, village_code]),
               if(status = '成功',
                  arrayConcat(arrayMap(r -> ('project', r, '成功', toString(project_code), toString(dept), ''), ['511000', county_code, town_code]),
                              arrayMap(r -> ('bank', r, '成功', '', '', toString(bank)), ['511000', county_code, town_code])),
                  []))) AS cell,
           toStartOfMonth(pay_time) AS pay_month, amount_paid, pay_time
    FROM payment_detail
)
GROUP BY tupleElement(cell, 1) AS grain, tupleElement(cell, 2) AS region_code, pay_month AS month, tupleElement(cell, 3) AS status,
         tupleElement(cell, 4) AS project_code, tupleElement(cell, 5) AS dept, tupleElement(cell, 6) AS bank;

DROP VIEW IF EXISTS mv_region_people;
DROP TABLE IF EXISTS agg_region_people;
CREATE TABLE agg_region_people
(
    grain        Enum8('all' = 1, 'year' = 2, 'age' = 3),
    region_code  LowCardinality(String),
    year         UInt16,
    age_band     UInt8 COMMENT 'lower bound of the 10-year band, 90 = 90 and over; 255 outside the age grain',
    gender       Enum8('' = 0, '男' = 1, '女' = 2),
    persons      AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY grain
ORDER BY (grain, region_code, year, age_band, gender)
SETTINGS index_granularity = 32, min_age_to_force_merge_seconds = 600;

CREATE MATERIALIZED VIEW mv_region_people TO agg_region_people AS
SELECT grain, region_code, year, age_band, gender, uniqExactState(person_key) AS persons
FROM
(
    SELECT arrayJoin(arrayConcat(
               arrayMap(r -> ('all', r, toUInt16(0), toUInt8(255), ''), ['511000', county_code, town_code, village_code]),
               arrayMap(r -> ('year', r, toUInt16(toYear(pay_time)), toUInt8(255), ''), ['511000', county_code, town_code, village_code]),
               arrayMap(r -> ('age', r, toUInt16(0), toUInt8(least(intDiv(age_years, 10) * 10, 90)), toString(gender)), ['511000', county_code, town_code]))) AS cell,
           person_key
    FROM payment_detail
    WHERE status = '成功'
)
GROUP BY tupleElement(cell, 1) AS grain, tupleElement(cell, 2) AS region_code, tupleElement(cell, 3) AS year,
         tupleElement(cell, 4) AS age_band, tupleElement(cell, 5) AS gender;

INSERT INTO agg_region_people
SELECT grain, region_code, year, age_band, gender, uniqExactState(person_key) AS persons
FROM
(
    SELECT arrayJoin(arrayConcat(
               arrayMap(r -> ('all', r, toUInt16(0), toUInt8(255), ''), ['511000', county_code, town_code, village_code]),
               arrayMap(r -> ('year', r, toUInt16(toYear(pay_time)), toUInt8(255), ''), ['511000', county_code, town_code, village_code]),
               arrayMap(r -> ('age', r, toUInt16(0), toUInt8(least(intDiv(age_years, 10) * 10, 90)), toString(gender)), ['511000', county_code, town_code]))) AS cell,
           person_key
    FROM payment_detail
    WHERE status = '成功'
)
GROUP BY tupleElement(cell, 1) AS grain, tupleElement(cell, 2) AS region_code, tupleElement(cell, 3) AS year,
         tupleElement(cell, 4) AS age_band, tupleElement(cell, 5) AS gender;

-- The six views and tables they replace. DROP TABLE also drops a plain view of that name, which a
-- start that died after the next statements has left.
DROP VIEW IF EXISTS mv_region_month;
DROP VIEW IF EXISTS mv_region_project_month;
DROP VIEW IF EXISTS mv_region_bank_month;
DROP VIEW IF EXISTS mv_region_persons;
DROP VIEW IF EXISTS mv_region_persons_year;
DROP VIEW IF EXISTS mv_region_age_persons;
DROP TABLE IF EXISTS agg_region_month;
DROP TABLE IF EXISTS agg_region_project_month;
DROP TABLE IF EXISTS agg_region_bank_month;
DROP TABLE IF EXISTS agg_region_persons;
DROP TABLE IF EXISTS agg_region_persons_year;
DROP TABLE IF EXISTS agg_region_age_persons;

CREATE VIEW agg_region_month AS
SELECT region_code, month, status, payments, amount_paid, newest_time FROM agg_region_payments WHERE grain = 'status';

CREATE VIEW agg_region_project_month AS
SELECT region_code, month, project_code, dept, payments, amount_paid FROM agg_region_payments WHERE grain = 'project';

CREATE VIEW agg_region_bank_month AS
SELECT region_code, month, bank, payments, amount_paid FROM agg_region_payments WHERE grain = 'bank';

CREATE VIEW agg_region_persons AS
SELECT region_code, persons FROM agg_region_people WHERE grain = 'all';

CREATE VIEW agg_region_persons_year AS
SELECT region_code, year, persons FROM agg_region_people WHERE grain = 'year';

CREATE VIEW agg_region_age_persons AS
SELECT region_code, age_band, gender, persons FROM agg_region_people WHERE grain = 'age';

OPTIMIZE TABLE agg_region_payments FINAL;
OPTIMIZE TABLE agg_region_people FINAL;
