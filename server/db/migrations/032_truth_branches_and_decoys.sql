-- The back-test's other half. ground_truth records what the generator planted, now with the rule
-- branch each case exercises (e.g. R20 明细无凭证无计划 / 凭证金额与明细不符), so recall is
-- reported per branch. decoy holds near misses the generator planted on purpose (an amount one
-- yuan under a standard, a re-issue on the last day of the week, a death recorded after the last
-- payment, a legitimate proxy holder, …): a correct rule flags none of them.
ALTER TABLE ground_truth ADD COLUMN IF NOT EXISTS branch LowCardinality(String) DEFAULT '';

CREATE TABLE IF NOT EXISTS decoy
(
    rule_id   LowCardinality(String),
    branch    LowCardinality(String),
    case_key  String,
    detail_id String,
    note      String
)
ENGINE = ReplacingMergeTree
ORDER BY (rule_id, case_key, detail_id);
