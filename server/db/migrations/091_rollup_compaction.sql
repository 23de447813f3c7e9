-- A rollup's reads merge every partial state of a key held in its parts. ClickHouse's merge
-- selector leaves a table at several parts of similar size for as long as it likes (seeding,
-- backfills and bulk loads write large ones), and for the people sets (uniqExact) each partial
-- state is a whole set: at 10M payments agg_region_age_persons sat in 7 parts at 137 MiB, the
-- warm pass read it in 1.5 s; merged into one part it was 34 MiB and 0.2 s. The whole pass of
-- 89 regions went from 3.2 s to 1.2 s of engine time (scripts/bench/passProfile.ts).
-- Parts older than 10 minutes are therefore merged in the background whatever their sizes (the
-- background pool, not the query lane). Under a feed the big part is rewritten at most about
-- once per 10 minutes: at 10M payments about 2 s of one core for the largest (the yearly
-- people sets), well under 1 % of a core.
-- The embedded engine counts a part's age from when this process loaded it (checked: parts hours
-- old on disk were not merged in a process younger than the setting), so after a restart the
-- first forced merges come 10 minutes in. Seeding and rollup rebuilds leave one part each
-- (server/simulate/rollups.ts), so a fresh demo does not wait for them.
-- A rollup added later must carry the same setting: server/rollups/compaction.int.test.ts fails
-- for one that does not.
ALTER TABLE agg_payment_month MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE agg_village_month MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE agg_payment_hour MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE agg_age_town_month MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE agg_voucher_paid MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE agg_reissue_month MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE agg_region_month MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE agg_region_project_month MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE agg_region_bank_month MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE agg_region_persons_year MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE agg_region_persons MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE agg_region_age_persons MODIFY SETTING min_age_to_force_merge_seconds = 600;
