-- Tables with replaced rows are read with FINAL, which merges every part's versions of a key at
-- read time: the cost follows the number of parts, not only the rows. Measured on a demo data
-- directory grown to 375k outbox rows in 9 parts: the notify worker's due read (FINAL) took
-- 295-620 ms; merged into one part, 35-74 ms. The flag, ledger, follow-up, voucher and ingest
-- ledger tables are read the same way on every warm pass or every batch.
-- As for the rollups (091): parts older than 10 minutes are merged in the background, whatever
-- their sizes. These tables change by a few rows at a time, so a forced merge rewrites a table at
-- most about once per 10 minutes while it changes, and never while it does not.
-- A ReplacingMergeTree table added later must carry the same setting:
-- server/rollups/compaction.int.test.ts fails for one that does not.
ALTER TABLE app_session MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE app_user MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE beneficiary MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE budget_indicator MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE bulk_file MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE card_activity MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE decoy MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE display_token MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE flag MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE followup MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE ground_truth MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE household MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE ingest_batch MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE ledger_item MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE notify_cursor MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE notify_outbox MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE notify_subscription MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE payment_return MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE payment_voucher MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE ref_asset MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE ref_death MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE ref_disability MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE ref_official MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE ref_student MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE schema_migrations MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE spending_plan MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE supervision_post MODIFY SETTING min_age_to_force_merge_seconds = 600;
ALTER TABLE workflow_event MODIFY SETTING min_age_to_force_merge_seconds = 600;
