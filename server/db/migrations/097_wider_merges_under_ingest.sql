-- Every payment batch writes a part into payment_detail and one into each of the eight rollups its
-- views feed; ClickHouse's background merges then fold those parts again and again. With the merge
-- selector's default base (5: a merge needs about five parts of similar size), a row of a 10k-row
-- batch was rewritten at every level of a deep merge tree, and in the rollups every level
-- re-hashes the people sets (uniqExact) of the batch.
-- Measured in 4-sender HTTP floods of 10k-row batches over copies of the same demo data directory
-- (2.49M payments), 96 batches each, CPU of the server process by thread (scratch, one run each):
--   base 5 (default)   33.4k rows/s, 519 ms of CPU per batch, of which merges 114 ms
--   base 25 (this)     38.5k rows/s, 442 ms of CPU per batch, of which merges 41 ms
--   base 50            38.9k rows/s, 436 ms of CPU per batch, of which merges 39 ms
-- and the process's CPU over the flood and the 20 s after it fell from 70.8 s to 63.3 s: the merges
-- are fewer, not put off (20 s after the flood the merge threads were idle in each run).
-- What a wider base costs is parts: a table keeps up to about 25 small parts per partition before
-- they merge, against about 5. ClickHouse bounds it itself (the selector lowers the base again as
-- a partition passes 10–50 parts, and as parts age), and the rollups still merge whole after 10
-- minutes (091). Reads of a rollup merge the partial states of all its parts: batch parts are small,
-- so their share is small (ack → screen while ingest floods is measured by npm run bench, ingest).
-- payment_detail, the eight rollups and any rollup added later carry the setting:
-- server/rollups/compaction.int.test.ts fails for one that does not.
ALTER TABLE payment_detail MODIFY SETTING merge_selector_base = 25;
ALTER TABLE agg_age_town_month MODIFY SETTING merge_selector_base = 25;
ALTER TABLE agg_payment_hour MODIFY SETTING merge_selector_base = 25;
ALTER TABLE agg_payment_month MODIFY SETTING merge_selector_base = 25;
ALTER TABLE agg_region_payments MODIFY SETTING merge_selector_base = 25;
ALTER TABLE agg_region_people MODIFY SETTING merge_selector_base = 25;
ALTER TABLE agg_reissue_month MODIFY SETTING merge_selector_base = 25;
ALTER TABLE agg_village_month MODIFY SETTING merge_selector_base = 25;
ALTER TABLE agg_voucher_paid MODIFY SETTING merge_selector_base = 25;
