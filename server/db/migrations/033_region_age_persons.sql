-- Region × age band × gender, people paid (成功), all time: the wall's pyramid of 受益人 (人数).
-- A warm pass read it from agg_age_town_month, merging every month's set of people of every town
-- three times over (city, county, town): the most expensive select of a pass (0.5-0.9 s of its
-- 2.6 s engine time at 1M payments), run again every 10 s under a feed. Here each region's set is
-- kept whole, so the pass reads one merged state per region, band and gender.
-- Villages are not kept (no warm room; a village's pyramid reads agg_age_town_month).
-- Re-running drops and rebuilds both, with the same result.
DROP VIEW IF EXISTS mv_region_age_persons;
DROP TABLE IF EXISTS agg_region_age_persons;
CREATE TABLE agg_region_age_persons
(
    region_code  LowCardinality(String),
    age_band     UInt8 COMMENT 'lower bound of the 10-year band, 90 = 90 and over',
    gender       Enum8('男' = 1, '女' = 2),
    persons      AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (region_code, age_band, gender)
SETTINGS index_granularity = 32;

CREATE MATERIALIZED VIEW mv_region_age_persons TO agg_region_age_persons AS
SELECT arrayJoin(['511000', county_code, town_code]) AS region_code,
       toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, uniqExactState(id_number) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code, age_band, gender;

INSERT INTO agg_region_age_persons
SELECT arrayJoin(['511000', county_code, town_code]) AS region_code,
       toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, uniqExactState(id_number) AS persons
FROM payment_detail
WHERE status = '成功'
GROUP BY region_code, age_band, gender;
