-- Age at a payment is the age in full years on the pay day (周岁, Beijing date), as ANOMALIES.md
-- and the rules use it. 001 stored a calendar-year difference (pay year − birth year), one year too
-- high until the birthday: 3.78 % of payments sat in the wrong 10-year band of the pyramid.
-- The column is re-materialized in every existing part (a mutation, waited for), then the pyramid
-- rollup is rebuilt from the facts. Re-running redoes both, with the same result.
ALTER TABLE payment_detail
    MODIFY COLUMN age_years UInt8 MATERIALIZED toUInt8(least(greatest(age('year', birth_date, toDate(pay_time)), 0), 150));

ALTER TABLE payment_detail MATERIALIZE COLUMN age_years SETTINGS mutations_sync = 2;

TRUNCATE TABLE agg_age_town_month;

INSERT INTO agg_age_town_month
SELECT toStartOfMonth(pay_time) AS month, county_code, town_code,
       toUInt8(least(intDiv(age_years, 10) * 10, 90)) AS age_band, gender, status,
       count() AS payments, sum(toDecimal128(amount_paid, 2)) AS amount_paid, uniqExactState(id_number) AS persons
FROM payment_detail
GROUP BY month, county_code, town_code, age_band, gender, status;
